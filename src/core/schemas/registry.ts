import type {z} from 'zod'

import {canonIndexSchema} from './canon-index.js'
import {configSchema} from './config.js'
import {extractCacheSchema} from './extract-cache.js'
import {journalRecordSchema} from './journal.js'
import {ledgerEntrySchema} from './ledger.js'
import {lockInfoSchema} from './lock.js'
import {missingManifestSchema} from './manifest.js'
import {packetFileSchema} from './packet.js'
import {planSchema} from './plan.js'
import {runPlanSchema} from './run-plan.js'
import {stateSchema} from './state.js'

/**
 * Every JSON Schema wicker ships, by its file name under schemas/. These are the files wicker
 * writes and reads back (each read checks its schema: store/read-json.ts); command results and
 * envelopes are added beside them.
 */
export const SCHEMAS: Record<string, z.ZodType> = {
  'config.json': configSchema,
  'plan.json': planSchema,
  'manifest.json': missingManifestSchema,
  'packet.json': packetFileSchema,
  'run-plan.json': runPlanSchema,
  'ledger-entry.json': ledgerEntrySchema,
  'journal-entry.json': journalRecordSchema,
  'lock.json': lockInfoSchema,
  'state.json': stateSchema,
  'extract-cache.json': extractCacheSchema,
  'canon-index.json': canonIndexSchema,
}
