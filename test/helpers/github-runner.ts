import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {parse} from 'yaml'

/**
 * A small stand-in for GitHub Actions, enough to run the workflow `wicker ci github` writes on this
 * machine: its jobs in `needs` order (matrix legs one after another), each in a fresh clone of the
 * repository (actions/checkout), its `run:` steps in bash as GitHub runs them, the artifact actions
 * as folder copies into a store that outlives attempts, `if:` and `${{ }}` over the contexts the
 * workflow uses, and "Re-run failed jobs": failed jobs and the jobs needing them run again, the
 * others keep their result and outputs. `gh api` of the run's artifact list is answered from that
 * store (every other gh call goes to the gh in `bin`). An expression it does not know is an error,
 * not a guess.
 */
/** A workflow as the YAML parser reads it back: the parts wicker writes (read by this runner and the tests). */
export interface Step {
  name?: string
  id?: string
  uses?: string
  run?: string
  if?: string
  env?: Record<string, string>
  with?: Record<string, unknown>
  'continue-on-error'?: boolean
}
export interface Job {
  needs?: string | string[]
  outputs?: Record<string, string>
  if?: string
  permissions?: Record<string, string>
  strategy?: {'fail-fast': boolean; 'max-parallel': number; matrix: {shard: number[]}}
  env?: Record<string, string>
  'timeout-minutes'?: number
  'runs-on': string | string[]
  steps: Step[]
}
export interface Workflow {
  on: Record<string, unknown>
  concurrency: {group: string}
  permissions: Record<string, string>
  env: Record<string, string>
  jobs: {prepare: Job; shard: Job; gather: Job}
}

export interface JobRun {
  result: 'success' | 'failure' | 'skipped'
  outputs: Record<string, string>
  /** every step's name with what became of it */
  steps: Array<{name: string; outcome: 'success' | 'failure' | 'skipped'; log: string}>
  summary: string
}

export interface RunnerOptions {
  /** a bare repository the jobs clone, holding the workflow's course */
  origin: string
  /** a folder with the `wicker` (and `gh`) the jobs run */
  bin: string
  /** where jobs run, artifacts are kept, and so on */
  work: string
  secrets?: Record<string, string>
  env?: Record<string, string>
  runId?: string
}

/** the repository the jobs run in, as GITHUB_REPOSITORY names it */
const REPOSITORY = 'vesk/tlon'

export class LocalRunner {
  readonly workflow: Workflow
  /** by job id, or `shard (2)` for a matrix leg */
  readonly jobs = new Map<string, JobRun>()
  attempt = 0
  private readonly artifacts: string
  /** the runner's own programs, ahead of `bin` on PATH: its gh */
  private readonly runnerBin: string

  constructor(
    text: string,
    private readonly options: RunnerOptions,
  ) {
    this.workflow = parse(text) as Workflow
    this.artifacts = join(options.work, 'artifacts')
    mkdirSync(this.artifacts, {recursive: true})
    this.runnerBin = join(options.work, 'runner-bin')
    mkdirSync(this.runnerBin, {recursive: true})
    writeFileSync(join(this.runnerBin, 'gh'), this.gh())
    chmodSync(join(this.runnerBin, 'gh'), 0o755)
  }

  /**
   * gh as a job sees it: `gh api` of this run's artifacts (the REST API's list, which holds every
   * attempt's uploads, as the store does) prints their names, as the workflow's --jq filter would;
   * it needs GH_TOKEN, like gh in a workflow. Any other call goes to the gh in `bin`.
   */
  private gh(): string {
    const theirs = join(this.options.bin, 'gh')
    const listing = `repos/${REPOSITORY}/actions/runs/${this.options.runId ?? '4242'}/artifacts?per_page=100`
    return `#!/usr/bin/env bash
set -euo pipefail
if [ "\${1-}" != api ]; then
  if [ -x ${JSON.stringify(theirs)} ]; then exec ${JSON.stringify(theirs)} "$@"; fi
  echo "gh: command not found" >&2
  exit 127
fi
if [ -z "\${GH_TOKEN-}" ]; then
  echo "gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable." >&2
  exit 4
fi
if [ "$#" -ne 5 ] || [ "$2" != --paginate ] || [ "$3" != ${JSON.stringify(listing)} ] || [ "$4" != --jq ] || [ "$5" != '.artifacts[] | select(.expired | not) | .name' ]; then
  echo "the local runner's gh cannot answer: gh $*" >&2
  exit 1
fi
if [ -e ${JSON.stringify(join(this.runnerBin, 'listing-fails'))} ]; then
  echo "HTTP 502: Bad Gateway (https://api.github.com/${'$'}3)" >&2
  exit 1
fi
ls -1 ${JSON.stringify(this.artifacts)}
`
  }

  /**
   * The first attempt, or with `rerunFailed` the next one: only failed jobs and those needing them.
   * `listingFails`: in this attempt the REST API's artifact list answers 502 (gh api exits 1).
   */
  run(options: {rerunFailed?: boolean; listingFails?: boolean} = {}): void {
    this.attempt++
    const outage = join(this.runnerBin, 'listing-fails')
    if (options.listingFails) writeFileSync(outage, '')
    else rmSync(outage, {force: true})
    const rerun = new Set<string>()
    // the jobs in the order they are written, which is the order of their needs
    for (const [id, job] of Object.entries(this.workflow.jobs)) {
      const needs = [job.needs ?? []].flat()
      const needsContext = Object.fromEntries(needs.map((n) => [n, this.needsResult(n)]))
      for (const [leg, shard] of this.legList(id, job)) {
        const previous = this.jobs.get(leg)
        if (options.rerunFailed && previous !== undefined && previous.result !== 'failure' && !needs.some((n) => rerun.has(n))) continue
        rerun.add(id)
        this.jobs.set(leg, this.runJob(id, job, needsContext, shard))
      }
    }
  }

  private legList(id: string, job: Job): Array<[string, number | undefined]> {
    const shards = job.strategy?.matrix.shard
    return shards ? shards.map((s) => [`${id} (${s})`, s]) : [[id, undefined]]
  }

  private legs(id: string): string[] {
    return this.legList(id, this.workflow.jobs[id as keyof Workflow['jobs']]).map(([leg]) => leg)
  }

  private needsResult(id: string): {result: string; outputs: Record<string, string>} {
    const runs = this.legs(id).map((leg) => this.jobs.get(leg))
    const result = runs.every((r) => r?.result === 'skipped') ? 'skipped' : runs.every((r) => r?.result === 'success' || r?.result === 'skipped') ? 'success' : 'failure'
    return {result, outputs: runs.length === 1 ? (runs[0]?.outputs ?? {}) : {}}
  }

  private runJob(id: string, job: Job, needs: Record<string, {result: string; outputs: Record<string, string>}>, shard: number | undefined): JobRun {
    const name = shard === undefined ? id : `${id}-${shard}`
    const home = join(this.options.work, `attempt-${this.attempt}`, name)
    rmSync(home, {recursive: true, force: true})
    const temp = join(home, 'runner-temp')
    mkdirSync(temp, {recursive: true})
    const summaryFile = join(home, 'summary.md')
    writeFileSync(summaryFile, '')
    const context: Record<string, unknown> = {
      github: {run_id: this.options.runId ?? '4242', run_attempt: String(this.attempt), token: 'not-a-token', ref_name: 'main'},
      runner: {temp},
      secrets: this.options.secrets ?? {},
      matrix: shard === undefined ? {} : {shard},
      needs,
      steps: {} as Record<string, {outputs: Record<string, string>}>,
    }
    const run: JobRun = {result: 'success', outputs: {}, steps: [], summary: ''}
    const needsOk = Object.values(needs).every((n) => n.result === 'success')
    if (!(job.if === undefined ? needsOk : this.condition(job.if, context, {failed: !needsOk}))) {
      run.result = 'skipped'
      return run
    }
    // actions/checkout: a fresh clone of the repository
    const workspace = join(home, 'workspace')
    execFileSync('git', ['clone', '-q', this.options.origin, workspace])
    let failed = false
    for (const step of job.steps) {
      const stepName = step.name ?? step.uses ?? 'step'
      const wanted = step.if === undefined ? !failed : this.condition(step.if, context, {failed})
      if (!wanted) {
        run.steps.push({name: stepName, outcome: 'skipped', log: ''})
        continue
      }
      const {ok, log, outputs} = this.runStep(step, context, {workspace, temp, summaryFile, job, shard})
      run.steps.push({name: stepName, outcome: ok ? 'success' : 'failure', log})
      if (step.id) (context.steps as Record<string, {outputs: Record<string, string>}>)[step.id] = {outputs}
      if (!ok && !step['continue-on-error']) failed = true
    }
    run.result = failed ? 'failure' : 'success'
    for (const [key, value] of Object.entries(job.outputs ?? {})) run.outputs[key] = this.interpolate(value, context)
    run.summary = readFileSync(summaryFile, 'utf8')
    return run
  }

  private runStep(step: Step, context: Record<string, unknown>, at: {workspace: string; temp: string; summaryFile: string; job: Job; shard: number | undefined}): {ok: boolean; log: string; outputs: Record<string, string>} {
    const withs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, this.interpolate(String(v), context)]))
    if (step.uses?.startsWith('actions/checkout@') || step.uses?.startsWith('actions/setup-node@')) return {ok: true, log: '', outputs: {}}
    if (step.uses?.startsWith('actions/upload-artifact@')) {
      const from = withs.path!
      const files = existsSync(from) ? readdirSync(from, {recursive: true}).length : 0
      if (files === 0) return {ok: withs['if-no-files-found'] !== 'error', log: `no files in ${from}`, outputs: {}}
      const to = join(this.artifacts, withs.name!)
      if (existsSync(to) && withs.overwrite !== 'true') return {ok: false, log: `an artifact ${withs.name} exists (409 Conflict)`, outputs: {}}
      rmSync(to, {recursive: true, force: true})
      cpSync(from, to, {recursive: true})
      return {ok: true, log: `uploaded ${withs.name}`, outputs: {}}
    }
    if (step.uses?.startsWith('actions/download-artifact@')) {
      if (withs.name) {
        const from = join(this.artifacts, withs.name)
        if (!existsSync(from)) return {ok: false, log: `Artifact not found: ${withs.name}`, outputs: {}}
        cpSync(from, withs.path!, {recursive: true})
        return {ok: true, log: `downloaded ${withs.name}`, outputs: {}}
      }
      const pattern = new RegExp(`^${withs.pattern!.replaceAll('*', '.*')}$`)
      for (const name of readdirSync(this.artifacts).filter((n) => pattern.test(n))) cpSync(join(this.artifacts, name), join(withs.path!, name), {recursive: true})
      return {ok: true, log: 'downloaded by pattern', outputs: {}}
    }
    if (step.uses) throw new Error(`the local runner does not know ${step.uses}`)
    if (step.name?.startsWith('Install')) return {ok: true, log: 'skipped: wicker and the agent are on PATH here', outputs: {}}
    const outputFile = join(at.temp, `output-${Math.random().toString(36).slice(2)}`)
    writeFileSync(outputFile, '')
    const envOf = (env: Record<string, unknown> | undefined) => Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, this.interpolate(String(v), context)]))
    const env = {
      ...process.env,
      ...this.options.env,
      PATH: `${this.runnerBin}:${this.options.bin}:${process.env.PATH}`,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      RUNNER_TEMP: at.temp,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: at.summaryFile,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_RUN_ID: (context.github as {run_id: string}).run_id,
      ...envOf(this.workflow.env),
      ...envOf(at.job.env),
      ...envOf(step.env),
    }
    const script = this.interpolate(step.run!, context)
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {cwd: at.workspace, env, encoding: 'utf8', timeout: 180_000})
    const outputs = Object.fromEntries(
      readFileSync(outputFile, 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    )
    return {ok: r.status === 0, log: `${r.stdout}${r.stderr}`, outputs}
  }

  private lookup(path: string, context: Record<string, unknown>): unknown {
    let at: unknown = context
    for (const part of path.split('.')) {
      if (at === null || typeof at !== 'object') throw new Error(`unknown context ${path}`)
      at = (at as Record<string, unknown>)[part]
    }
    if (at === undefined && !/^(steps|needs)\./.test(path)) throw new Error(`unknown context ${path}`)
    return at
  }

  private interpolate(text: string, context: Record<string, unknown>): string {
    return text.replaceAll(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
      if (!/^[\w.-]+$/.test(expression)) throw new Error(`the local runner cannot interpolate ${expression}`)
      return String(this.lookup(expression, context) ?? '')
    })
  }

  /** `if:` terms joined by &&: always(), !cancelled(), success(), `path == 'x'`, `path != 'x'`. */
  private condition(text: string, context: Record<string, unknown>, state: {failed: boolean}): boolean {
    const expression = text.replace(/^\$\{\{\s*/, '').replace(/\s*\}\}$/, '')
    const terms = expression.split('&&').map((t) => t.trim())
    const known = terms.every((t) => /^(always\(\)|!cancelled\(\)|success\(\)|[\w.-]+ (==|!=) '[^']*')$/.test(t))
    if (!known) throw new Error(`the local runner cannot evaluate ${text}`)
    // without always() or !cancelled(), a condition implies success()
    if (!terms.some((t) => t === 'always()' || t === '!cancelled()') && state.failed) return false
    return terms.every((t) => {
      if (t === 'always()' || t === '!cancelled()') return true
      if (t === 'success()') return !state.failed
      const [, path, op, value] = /^([\w.-]+) (==|!=) '([^']*)'$/.exec(t)!
      const actual = String(this.lookup(path!, context) ?? '')
      return op === '==' ? actual === value : actual !== value
    })
  }
}
