/**
 * Compile-time proof that each --json result schema describes exactly the type the code returns:
 * `npm run typecheck` fails when a field is added, dropped, renamed, retyped or made optional on
 * one side only. (A schema imports nothing from the verb folders, so this check lives here.)
 */
import type {z} from 'zod'

import type {CiGithubResult} from '../../../src/core/ci/run-github.js'
import type {CiK8sResult} from '../../../src/core/ci/run-k8s.js'
import type {CollectResult} from '../../../src/core/collect/run.js'
import type {DemoResult} from '../../../src/core/demo/demo.js'
import type {RunDetectResult} from '../../../src/core/detect/run.js'
import type {RunExtractResult} from '../../../src/core/extract/run.js'
import type {InitResult} from '../../../src/core/init/init.js'
import type {Estimate} from '../../../src/core/launch/estimate.js'
import type {LaunchEvent, LaunchResult} from '../../../src/core/launch/launch.js'
import type {LaunchDryRun} from '../../../src/core/launch/types.js'
import type {VersionResult} from '../../../src/cli/render/version.js'
import type {RestoreResult} from '../../../src/core/merge/restore.js'
import type {RecoverResult} from '../../../src/core/merge/run-recover.js'
import type {MergeResult} from '../../../src/core/merge/run.js'
import type {PreviewResult} from '../../../src/core/preview/run.js'
import type {PrepareResult} from '../../../src/core/segments/run.js'
import type {ServeResult} from '../../../src/core/serve/run-serve.js'
import type {TokenCreateResult, TokenListResult, TokenRevokeResult} from '../../../src/core/serve/run-tokens.js'
import type {runUnlock, StatusResult} from '../../../src/core/status/status.js'
import type {ValidateResult} from '../../../src/core/validate/validate.js'
import type {ReportResult} from '../../../src/core/report/run.js'
import type {ciGithubResult} from '../../../src/core/schemas/results/ci.js'
import type {collectResult} from '../../../src/core/schemas/results/collect.js'
import type {ciK8sResult} from '../../../src/core/schemas/results/ci-k8s.js'
import type {detectResult} from '../../../src/core/schemas/results/detect.js'
import type {extractResult} from '../../../src/core/schemas/results/extract.js'
import type {launchEvent, launchResult} from '../../../src/core/schemas/results/launch.js'
import type {mergeResult, recoverResult, restoreResult} from '../../../src/core/schemas/results/merge.js'
import type {prepareSegmentsResult} from '../../../src/core/schemas/results/prepare-segments.js'
import type {previewResult} from '../../../src/core/schemas/results/preview.js'
import type {demoResult, initResult, unlockResult, versionResult} from '../../../src/core/schemas/results/setup.js'
import type {serveTokenCreateResult, serveTokenListResult, serveTokenRevokeResult} from '../../../src/core/schemas/results/serve-tokens.js'
import type {serveResult} from '../../../src/core/schemas/results/serve.js'
import type {reportResult} from '../../../src/core/schemas/results/report.js'
import type {statusResult} from '../../../src/core/schemas/results/status.js'
import type {validateResult, VERDICTS} from '../../../src/core/schemas/results/validate.js'

/** Interfaces, intersections and type literals alike become plain object types, all the way down. */
type Plain<T> = T extends ReadonlyArray<infer U> ? Array<Plain<U>> : T extends object ? {[K in keyof T]: Plain<T[K]>} : T

/** true only when A and B are the same type (not merely assignable to each other) */
type Same<A, B> = (<T>() => T extends Plain<A> ? 1 : 2) extends <T>() => T extends Plain<B> ? 1 : 2 ? true : false

/** Fails to compile, naming the command, when the schema and the code's type differ. */
type Check<Name extends string, Schema extends z.ZodType, Code> = Same<z.output<Schema>, Code> extends true ? Name : {drift: Name; schema: Plain<z.output<Schema>>; code: Plain<Code>}

/** The verdict (issue 11) adds these to ValidateResult; once it has, the intersections change nothing. */
type ValidateJson = Omit<ValidateResult, 'checks'> & {
  verdict: (typeof VERDICTS)[number]
  verdictReasons: string[]
  file: string
  checks: Array<ValidateResult['checks'][number] & {critical: boolean; blocks: boolean}>
}
/** what `wicker launch` puts in its envelope: the core's result plus the estimate made from the plan */
type LaunchJson = (LaunchResult & {estimate: Estimate | null}) | LaunchDryRun
type UnlockJson = Awaited<ReturnType<typeof runUnlock>>['result']

export const checked = [
  'detect' satisfies Check<'detect', typeof detectResult, RunDetectResult>,
  'extract' satisfies Check<'extract', typeof extractResult, RunExtractResult>,
  'prepare-segments' satisfies Check<'prepare-segments', typeof prepareSegmentsResult, PrepareResult>,
  'launch' satisfies Check<'launch', typeof launchResult, LaunchJson>,
  'launch events' satisfies Check<'launch events', typeof launchEvent, LaunchEvent | ({type: 'estimate'} & Estimate)>,
  'preview' satisfies Check<'preview', typeof previewResult, PreviewResult>,
  'merge' satisfies Check<'merge', typeof mergeResult, MergeResult>,
  'restore' satisfies Check<'restore', typeof restoreResult, RestoreResult>,
  'recover' satisfies Check<'recover', typeof recoverResult, RecoverResult>,
  'validate' satisfies Check<'validate', typeof validateResult, ValidateJson>,
  'status' satisfies Check<'status', typeof statusResult, StatusResult>,
  'init' satisfies Check<'init', typeof initResult, InitResult>,
  'unlock' satisfies Check<'unlock', typeof unlockResult, UnlockJson>,
  'demo' satisfies Check<'demo', typeof demoResult, DemoResult>,
  'version' satisfies Check<'version', typeof versionResult, VersionResult>,
  'collect' satisfies Check<'collect', typeof collectResult, CollectResult>,
  'ci-k8s' satisfies Check<'ci-k8s', typeof ciK8sResult, CiK8sResult>,
  'serve' satisfies Check<'serve', typeof serveResult, ServeResult>,
  'serve-token-create' satisfies Check<'serve-token-create', typeof serveTokenCreateResult, TokenCreateResult>,
  'serve-token-list' satisfies Check<'serve-token-list', typeof serveTokenListResult, TokenListResult>,
  'serve-token-revoke' satisfies Check<'serve-token-revoke', typeof serveTokenRevokeResult, TokenRevokeResult>,
  'ci-github' satisfies Check<'ci-github', typeof ciGithubResult, CiGithubResult>,
  'report' satisfies Check<'report', typeof reportResult, ReportResult>,
]
