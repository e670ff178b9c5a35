import {readFile} from 'node:fs/promises'
import {basename, isAbsolute, join, relative, resolve} from 'node:path'

import {errnoOf, UsageError, WickerError} from '../errors.js'
import type {AgentKind} from '../launch/agents.js'
import {newestRun} from '../launch/launch.js'
import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import {readRunPlan} from '../segments/run.js'
import {unedited, ownedText, writeOwnedFile, type OwnedFileResult} from '../store/owned-file.js'
import type {CiFilesResult} from './result.js'
import {shellArg} from '../text/shell-arg.js'
import {CI_AGENTS, wickerVersion} from './agents.js'
import {checkCourseName, checkK8sOptions, DEFAULT_PARALLELISM_CAP, jobName, k8sDockerfile, k8sJobYaml, type K8sOptions} from './k8s.js'

export interface CiK8sOptions extends Omit<OpenCourseOptions, 'canon' | 'recover'> {
  shards: number
  image: string
  /** default: the newest prepared run of the course */
  run?: string
  agent?: AgentKind
  secret?: string
  pvc?: string
  /** default min(shards, 10) */
  parallelism?: number
  retries?: number
  concurrency?: number
  namespace?: string | null
  /** the folder job.yaml and Dockerfile go in; default wicker-k8s/ in cwd */
  out?: string
  force?: boolean
}

/** files: job.yaml, then Dockerfile */
export interface CiK8sResult extends CiFilesResult {
  run: string
  job: string
  namespace: string | null
  shards: number
  parallelism: number
  image: string
  agent: AgentKind
}

export const DEFAULT_OUT = 'wicker-k8s'
const WHO = 'written by wicker ci k8s; once edited it is yours (only --force replaces it)'


const shown = (cwd: string, file: string) => (isAbsolute(file) && !relative(cwd, file).startsWith('..') ? relative(cwd, file) || '.' : file)

function prepareHint(course: string, shards: number): string {
  return `Prepare one with \`wicker prepare-segments ${shellArg(course)} --shards ${shards}\`; it prints the run name.`
}

/** The prepared run the Job works on: named, or the newest; a missing one says how to prepare it. */
async function openRun(courseDir: string, options: CiK8sOptions) {
  try {
    const run = options.run ?? (await newestRun(courseDir))
    const {plan} = await readRunPlan(courseDir, run)
    return {run, plan, shards: plan.shards ?? null}
  } catch (error) {
    if (error instanceof WickerError && error.code === 'E_NO_RUN') throw new UsageError({code: 'E_NO_RUN', message: error.message, hint: prepareHint(options.course, options.shards), details: error.details})
    throw error
  }
}

/** An existing file that a write would refuse (edited, no --force): it is written first, so the refusal comes before anything else changed. */
async function refused(file: string, text: string, force: boolean): Promise<boolean> {
  if (force) return false
  try {
    const before = await readFile(file, 'utf8')
    return before !== text && !unedited(before)
  } catch (error) {
    if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'EISDIR') return false // writeOwnedFile says what is wrong
    throw error
  }
}

/** The command as given, for the hint of a refused file (`… --force`). */
function commandLine(options: CiK8sOptions): string {
  const words = ['wicker', 'ci', 'k8s', shellArg(options.course), '--shards', String(options.shards), '--image', shellArg(options.image)]
  const given: Array<[string, string | number | null | undefined]> = [
    ['--run', options.run], ['--agent', options.agent], ['--secret', options.secret], ['--pvc', options.pvc], ['--parallelism', options.parallelism],
    ['--retries', options.retries], ['--concurrency', options.concurrency], ['--namespace', options.namespace], ['--out', options.out],
  ]
  for (const [flag, value] of given) if (value !== undefined && value !== null) words.push(flag, shellArg(String(value)))
  return words.join(' ')
}

function nextSteps(o: K8sOptions, options: CiK8sOptions, outDir: string, job: string): string[] {
  const course = shellArg(options.course)
  const kubectl = o.namespace ? `kubectl -n ${o.namespace}` : 'kubectl'
  const repo = o.image.includes('@') ? o.image.slice(0, o.image.indexOf('@')) : o.image
  const {keyEnv} = CI_AGENTS[o.agent]
  return [
    `Put the course folder (with .wicker/runs/${o.run}/) on the ReadWriteMany volume ${o.pvc} as ${shellArg(`/${o.courseName}`)}.`,
    `docker build -t ${shellArg(repo)} ${shellArg(outDir)} && docker push ${shellArg(repo)}${o.image.includes('@') ? '  (then put the pushed digest in job.yaml)' : ''}`,
    ...(keyEnv ? [`${kubectl} create secret generic ${o.secret} --from-literal=${keyEnv}="$${keyEnv}"`] : []),
    `${kubectl} apply -f ${shellArg(join(outDir, 'job.yaml'))}`,
    // a Job with a failed index ends Failed, never Complete: wait for either
    `until ${kubectl} get job/${job} -o jsonpath='{.status.conditions[?(@.status=="True")].type}' | grep -qwE 'Complete|Failed'; do sleep 30; done`,
    `On the course on the volume (or here, after \`wicker collect ${course} --from DIR\` of a copy of its phase5_baskets_staging/):`,
    `wicker status ${course} --run ${o.run} --require-complete`,
    `wicker preview ${course} --detailed-exitcode`,
    `wicker merge ${course} --yes`,
    `If a shard failed (status names it): ${kubectl} delete job/${job} --cascade=foreground (it returns once every pod is gone: an old pod still stopping would share its shard's host name), then apply job.yaml again; each shard resumes.`,
  ]
}

/**
 * `wicker ci k8s`: reads the course and its prepared run, then writes job.yaml and Dockerfile into
 * the out folder as files the user owns (store/owned-file.ts): an edited one is left unless --force.
 */
export async function runCiK8s(options: CiK8sOptions): Promise<{result: CiK8sResult; warnings: string[]}> {
  const agent = options.agent ?? 'builtin'
  const base = {image: options.image, agent, secret: options.secret ?? 'wicker-agent', pvc: options.pvc ?? 'wicker-course', namespace: options.namespace ?? null}
  checkK8sOptions(base)
  const {course, warnings} = await openCourse({...options, canon: false})
  const courseName = basename(course.dir)
  checkCourseName(courseName)
  const run = await openRun(course.dir, options)
  if (run.shards !== null && run.shards !== options.shards) {
    throw new UsageError({
      code: 'E_SHARDS_MISMATCH',
      message: `Run ${run.run} was prepared in ${run.shards} shard(s), not the ${options.shards} of --shards.`,
      hint: `Give --shards ${run.shards}, or prepare the run again: \`wicker prepare-segments ${shellArg(options.course)} --shards ${options.shards}\`.`,
      details: {run: run.run, planned: run.shards, shards: options.shards},
    })
  }
  if (run.shards === null) warnings.push(`Run ${run.run} records no shard count: each pod picks its shard of ${options.shards} from the plan itself. To see the split first: wicker prepare-segments ${shellArg(options.course)} --shards ${options.shards}.`)
  const packets = run.plan.packets.length
  if (options.shards > packets) warnings.push(`${options.shards} shards for ${packets} packet(s): ${options.shards - packets} pod(s) will find nothing to do.`)
  let parallelism = options.parallelism ?? Math.min(options.shards, DEFAULT_PARALLELISM_CAP)
  if (parallelism > options.shards) {
    warnings.push(`--parallelism ${parallelism} is more than the ${options.shards} shard(s): the Job runs ${options.shards} at once.`)
    parallelism = options.shards
  }

  const o: K8sOptions = {...base, courseName, run: run.run, shards: options.shards, parallelism, retries: options.retries ?? 2, concurrency: options.concurrency ?? 4, wickerVersion: wickerVersion()}
  const outDir = resolve(options.cwd, options.out ?? DEFAULT_OUT)
  const planned = [
    {file: join(outDir, 'job.yaml'), text: ownedText(WHO, await k8sJobYaml(o))},
    {file: join(outDir, 'Dockerfile'), text: ownedText(WHO, k8sDockerfile(o))},
  ]
  const blocked = await Promise.all(planned.map((p) => refused(p.file, p.text, options.force === true)))
  const order = planned.map((p, i) => ({...p, blocked: blocked[i]})).sort((a, b) => Number(b.blocked) - Number(a.blocked))
  const command = commandLine(options)
  const written = new Map<string, OwnedFileResult>()
  for (const p of order) written.set(p.file, await writeOwnedFile(p.file, p.text, {force: options.force, command, root: options.cwd}))
  const files = planned.map((p) => {
    const r = written.get(p.file)!
    return {...r, file: shown(options.cwd, r.file), backup: r.backup === null ? null : shown(options.cwd, r.backup)}
  })
  const job = jobName(courseName, run.run)
  return {
    result: {files, next: nextSteps(o, options, shown(options.cwd, outDir), job), run: run.run, job, namespace: o.namespace, shards: o.shards, parallelism, image: o.image, agent},
    warnings,
  }
}
