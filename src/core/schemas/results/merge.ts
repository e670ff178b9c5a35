import {z} from 'zod'

import {canonSide, count} from './common.js'

const canonChange = z.object({before: canonSide, after: canonSide})

export const mergeResult = z
  .object({
    status: z.enum(['merged', 'nothing-to-do', 'already-applied', 'dry-run', 'declined']),
    tx: z.string().nullable(),
    planId: z.string(),
    added: z.array(z.string()),
    updated: z.array(z.string()),
    adopted: z.array(z.string()),
    canon: canonChange,
    backup: z.string().nullable(),
    consumed: z.array(z.string()).describe('staging files moved to .applied/<tx>/'),
    recovered: z.array(z.string()).describe('interrupted transactions finished or rolled back first'),
    written: z.enum(['spliced', 'serialised']).nullable(),
    planned: z.object({add: count, update: count, adopt: count, consume: count}),
  })
  .meta({title: 'wicker merge --json result'})

export const restoreResult = z
  .object({
    tx: z.string().describe('the transaction of this restore'),
    restored: z.string().describe('the transaction undone'),
    canon: canonChange,
    backup: z.string().nullable(),
    restaged: z.array(z.string()),
    recovered: z.array(z.string()),
  })
  .meta({title: 'wicker restore --json result'})

export const recoverResult = z
  .object({
    outcome: z.enum(['none', 'finished', 'rolled-back', 'abandoned']),
    tx: z.string().nullable(),
    notes: z.array(z.string()),
    backup: z.string().nullable().describe('abandon: the copy of canon as it was left'),
    canon: z.object({sha256: z.string().nullable()}),
  })
  .meta({title: 'wicker recover --json result'})
