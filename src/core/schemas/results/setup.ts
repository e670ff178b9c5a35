import {z} from 'zod'

import {lockInfoSchema} from '../lock.js'
import {coverageChange} from './preview.js'

export const initResult = z
  .object({
    dir: z.string(),
    changes: z.array(z.object({file: z.string(), action: z.enum(['created', 'appended'])})),
    unchanged: z.array(z.string()),
  })
  .meta({title: 'wicker init --json result'})

export const unlockResult = z
  .object({
    removed: lockInfoSchema.nullable().describe('the lock removed, or null when there was none'),
    lock: z.string().nullable().describe('the lock file it was, relative to the course: .wicker/lock (the course), .wicker/runs/<run>/lock (a launch of the whole run) or .wicker/runs/<run>/shards/<i>-of-<n>/lock (a launch of a shard); null when there was none'),
    keptAs: z.string().nullable().describe('where the lock is kept for a person to read (<lock>.stale-<id>), relative to the course; null when nothing was kept'),
  })
  .meta({title: 'wicker unlock --json result'})

const count = z.number().int().nonnegative()
const demoStep = z.discriminatedUnion('step', [
  z.object({step: z.literal('copy'), course: z.string(), sample: z.string(), copied: z.boolean()}),
  z.object({step: z.literal('detect'), present: count, needed: count, missing: count, coverage: z.number()}),
  z.object({step: z.literal('prepare-segments'), run: z.string(), packets: count, seeds: count, legos: count}),
  z.object({step: z.literal('launch'), launched: z.object({ok: count, failed: count, skipped: count, staged: count}).nullable().describe('null when there was nothing to launch')}),
  z.object({step: z.literal('extract'), files: z.object({total: count, used: count, skipped: count, bad: count}), candidates: count}),
  z.object({step: z.literal('preview'), counts: z.record(z.string(), count), coverage: coverageChange}),
  z.object({
    step: z.literal('merge'),
    merged: z.object({tx: z.string().nullable(), added: count, baskets: z.object({before: count, after: count}), consumed: count}).nullable().describe('null when nothing was merged'),
  }),
  z.object({step: z.literal('validate'), passed: z.boolean(), baskets: count, phrases: count, errors: count, warnings: count, gate: z.string(), coverage: z.number()}),
  z.object({step: z.literal('report'), file: z.string().describe('the report page written'), bytes: count}),
])

export const demoResult = z
  .object({
    dir: z.string(),
    course: z.string(),
    steps: z.array(demoStep).describe('what each step did, as data, in order'),
    coverage: coverageChange,
    passed: z.boolean(),
    changed: z.boolean().describe('false when the course was already complete and nothing was written'),
    report: z.string().describe('the report page: .wicker/report.html in the course'),
  })
  .meta({title: 'wicker demo --json result'})

export const versionResult = z
  .object({
    cliVersion: z.string().describe('`wicker/0.1.0`, as in the --version line'),
    version: z.string(),
    architecture: z.string().describe('platform-arch, e.g. linux-x64'),
    nodeVersion: z.string().describe('node-v20.x'),
    osVersion: z.string().optional().describe('with --verbose'),
    shell: z.string().optional().describe('with --verbose'),
    rootPath: z.string().optional().describe('with --verbose: where wicker is installed'),
    pluginVersions: z.array(z.string()).optional().describe('with --verbose'),
  })
  .meta({title: 'wicker version --json result'})
