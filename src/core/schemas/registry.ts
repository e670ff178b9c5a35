import type {z} from 'zod'

import {canonIndexSchema} from './canon-index.js'
import {configSchema} from './config.js'
import {extractCacheSchema} from './extract-cache.js'
import {idempotencyRecordSchema} from './idempotency.js'
import {journalRecordSchema} from './journal.js'
import {ledgerEntrySchema} from './ledger.js'
import {lockInfoSchema} from './lock.js'
import {missingManifestSchema} from './manifest.js'
import {packetFileSchema} from './packet.js'
import {planSchema} from './plan.js'
import {reportDataSchema} from './report.js'
import {runPlanSchema} from './run-plan.js'
import {serveTokensFileSchema} from './serve-tokens.js'
import {stateSchema} from './state.js'
import {uploadRecordSchema} from './uploads.js'
import {anyResultEnvelope, errorEnvelope, resultEnvelope} from './envelope.js'
import {ciGithubResult} from './results/ci.js'
import {ciK8sResult} from './results/ci-k8s.js'
import {collectResult} from './results/collect.js'
import {detectResult} from './results/detect.js'
import {extractResult} from './results/extract.js'
import {launchEvent, launchResult} from './results/launch.js'
import {mergeResult, recoverResult, restoreResult} from './results/merge.js'
import {prepareSegmentsResult} from './results/prepare-segments.js'
import {previewResult} from './results/preview.js'
import {demoResult, initResult, unlockResult, versionResult} from './results/setup.js'
import {serveTokenCreateResult, serveTokenListResult, serveTokenRevokeResult} from './results/serve-tokens.js'
import {serveResult} from './results/serve.js'
import {reportResult} from './results/report.js'
import {statusResult} from './results/status.js'
import {validateResult} from './results/validate.js'

/** Each command's --json result, and the exit codes its result envelope can carry (common.md's table). */
export const RESULTS = {
  detect: {schema: detectResult, statuses: [0, 1]},
  'prepare-segments': {schema: prepareSegmentsResult, statuses: [0]},
  launch: {schema: launchResult, statuses: [0, 1, 129, 130, 143]},
  extract: {schema: extractResult, statuses: [0]},
  preview: {schema: previewResult, statuses: [0, 3, 6]},
  merge: {schema: mergeResult, statuses: [0]},
  validate: {schema: validateResult, statuses: [0, 1, 5]},
  status: {schema: statusResult, statuses: [0]},
  init: {schema: initResult, statuses: [0]},
  restore: {schema: restoreResult, statuses: [0]},
  unlock: {schema: unlockResult, statuses: [0]},
  demo: {schema: demoResult, statuses: [0, 1]},
  recover: {schema: recoverResult, statuses: [0]},
  version: {schema: versionResult, statuses: [0]},
  collect: {schema: collectResult, statuses: [0, 1]},
  'ci-k8s': {schema: ciK8sResult, statuses: [0]},
  serve: {schema: serveResult, statuses: [0, 129, 130, 143]},
  // a command in a topic folder (src/commands/serve/token/create.ts) by its id with '-' for ' '
  'serve-token-create': {schema: serveTokenCreateResult, statuses: [0]},
  'serve-token-list': {schema: serveTokenListResult, statuses: [0]},
  'serve-token-revoke': {schema: serveTokenRevokeResult, statuses: [0]},
  'ci-github': {schema: ciGithubResult, statuses: [0]},
  report: {schema: reportResult, statuses: [0]},
} as const satisfies Record<string, {schema: z.ZodType; statuses: readonly number[]}>

export type CommandWithResult = keyof typeof RESULTS

/**
 * Every JSON Schema wicker ships, by its file name under schemas/ (`npm run schemas` writes them;
 * test/unit/schemas/generated.test.ts keeps the committed files equal to what this generates).
 * Command results, envelopes and launch's events; and the files wicker writes and reads back (each
 * read checks its schema: store/read-json.ts).
 */
export const SCHEMAS: Record<string, z.ZodType> = {
  'envelope/result.json': anyResultEnvelope,
  'envelope/error.json': errorEnvelope,
  ...Object.fromEntries(Object.entries(RESULTS).map(([command, {schema}]) => [`result/${command}.json`, schema])),
  ...Object.fromEntries(
    Object.entries(RESULTS).map(([command, {schema, statuses}]) => [`envelope/${command}.json`, resultEnvelope(schema, statuses).meta({title: `wicker ${command} --json envelope`})]),
  ),
  'events/launch.json': launchEvent,
  'config.json': configSchema,
  'plan.json': planSchema,
  'manifest.json': missingManifestSchema,
  'packet.json': packetFileSchema,
  'run-plan.json': runPlanSchema,
  'ledger-entry.json': ledgerEntrySchema,
  'upload-record.json': uploadRecordSchema,
  'journal-entry.json': journalRecordSchema,
  'lock.json': lockInfoSchema,
  'state.json': stateSchema,
  'extract-cache.json': extractCacheSchema,
  'canon-index.json': canonIndexSchema,
  'serve-tokens.json': serveTokensFileSchema,
  'serve-idempotency.json': idempotencyRecordSchema,
  'report-data.json': reportDataSchema,
}
