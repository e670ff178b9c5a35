import {z} from 'zod'

import {count} from './common.js'

const action = z.enum(['written', 'skipped', 'ignored', 'refused'])

export const collectResult = z
  .object({
    staging: z.string().describe('the staging folder written into (relative to the course when inside it)'),
    sources: z.array(
      z.object({
        kind: z.enum(['git', 'patch', 'dir']),
        source: z.string().describe('the ref (as given or matched by --git-branches), the patch file, or the folder'),
        commit: z.string().nullable().describe('the commit the ref named; null for a patch or a folder'),
        found: count.describe('files that could be collected'),
        written: count,
        skipped: count.describe('same content already in staging (under any name, .applied/ included)'),
        ignored: count.describe('reported, not collected, not a finding: a patch\'s modified, deleted or binary file'),
        refused: count.describe('a finding (exit 1): hostile name, symlink, not a regular file'),
        files: z.array(z.object({path: z.string(), action, reason: z.string().nullable(), stagedAs: z.string().nullable().describe('the name written in staging')})),
      }),
    ),
    totals: z.object({found: count, written: count, skipped: count, ignored: count, refused: count}),
  })
  .meta({title: 'wicker collect --json result'})
