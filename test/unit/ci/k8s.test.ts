import {spawnSync} from 'node:child_process'
import {chmodSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'

import {CI_AGENTS} from '../../../src/core/ci/agents.js'
import {checkK8sOptions, jobName, k8sJob, k8sJobYaml, LAUNCH_GRACE_SECONDS, pullPolicy, type K8sOptions} from '../../../src/core/ci/k8s.js'
import {ownedText} from '../../../src/core/store/owned-file.js'
import {tempDir} from '../../helpers/fs.js'

const {Job} = await import('kubernetes-models/batch/v1/Job')

const BASE: K8sOptions = {
  courseName: 'zup_for_brel',
  run: 'run-2026-12-01',
  shards: 3,
  image: 'registry.example.invalid/plonk/wicker:0.1.0',
  agent: 'builtin',
  secret: 'wicker-agent',
  pvc: 'wicker-course',
  parallelism: 3,
  retries: 2,
  concurrency: 4,
  namespace: null,
  wickerVersion: '0.1.0',
}

const HOSTILE = 'tarn $(touch pwned) `touch pwned2` "; touch pwned3; " \'q\' \\ $HOME *'

/** The manifest as kubectl would read it: the written text (owned header and all) parsed as YAML. */
async function manifest(options: Partial<K8sOptions> = {}) {
  return parse(ownedText('written by a test', await k8sJobYaml({...BASE, ...options}))) as any
}

const containerOf = (job: any) => job.spec.template.spec.containers[0]
const envOf = (job: any) => Object.fromEntries(containerOf(job).env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value])) as Record<string, string>

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/

describe('the Indexed Job passes the batch/v1 Job schema (kubernetes-models, offline)', () => {
  const sets: Array<[string, Partial<K8sOptions>]> = [
    ['one shard', {shards: 1, parallelism: 1}],
    ['three shards', {}],
    ['a thousand shards', {shards: 1000, parallelism: 10}],
    ...(['builtin', 'claude', 'codex', 'gemini'] as const).map((agent): [string, Partial<K8sOptions>] => [`agent ${agent}`, {agent}]),
    ['a namespace', {namespace: 'courses-team-a'}],
    ['a course folder with spaces, quotes and $(…)', {courseName: HOSTILE}],
    ['no retries, one agent a pod, a digest', {retries: 0, concurrency: 1, image: `registry.example.invalid/w@sha256:${'ab'.repeat(32)}`}],
  ]
  it.each(sets)('%s', async (_, options) => {
    const job = await manifest(options)
    expect(() => new Job(job).validate()).not.toThrow()
    expect(job.kind).toBe('Job')
    expect(job.apiVersion).toBe('batch/v1')
    // what the schema does not check: names Kubernetes would refuse
    expect(job.metadata.name).toMatch(DNS_LABEL)
    expect(`${job.metadata.name}-9999`.length).toBeLessThanOrEqual(63)
    for (const value of Object.values(job.metadata.labels as Record<string, string>)) {
      expect(value).toMatch(LABEL_VALUE)
      expect(value.length).toBeLessThanOrEqual(63)
    }
    expect(job.spec.template.metadata.labels).toEqual(job.metadata.labels)
  })

  it('catches a bad Job, so the check above cannot pass by checking nothing', async () => {
    const job = await manifest()
    expect(() => new Job({...job, spec: {...job.spec, completionMode: 'Sideways'}}).validate()).toThrow(/completionMode/)
    expect(() => new Job({...job, spec: {...job.spec, completions: '3'}}).validate()).toThrow(/completions/)
    const pod = job.spec.template.spec
    const hungry = {...containerOf(job), resources: {requests: {memory: 'a lot'}}}
    expect(() => new Job({...job, spec: {...job.spec, template: {...job.spec.template, spec: {...pod, containers: [hungry]}}}}).validate()).toThrow(/memory/)
  })

  it('keeps Job names apart and short for long course and run names', () => {
    const long = 'x'.repeat(80)
    const a = jobName(long, 'run-a')
    const b = jobName(long, 'run-b')
    expect(a).not.toBe(b)
    for (const name of [a, b, jobName('Ünïcode Kürs', 'R.1'), jobName(HOSTILE, 'run-1')]) {
      expect(name).toMatch(DNS_LABEL)
      expect(name.length).toBeLessThanOrEqual(52)
    }
    expect(jobName('spa_for_eng', 'run-2026-12-01')).toBe('wicker-spa-for-eng-run-2026-12-01')
  })
})

describe('the Job runs one shard per index', () => {
  it('is Indexed with one completion per shard, retries per index, Never restarts, and the named secret and claim', async () => {
    const job = await manifest({shards: 7, parallelism: 5, retries: 4, agent: 'claude', secret: 'team-keys', pvc: 'shared-courses', namespace: 'lang'})
    expect(job.metadata.namespace).toBe('lang')
    expect(job.spec).toMatchObject({completionMode: 'Indexed', completions: 7, parallelism: 5, backoffLimitPerIndex: 4, podReplacementPolicy: 'Failed'})
    expect(job.spec.maxFailedIndexes).toBeUndefined()
    expect(job.spec.ttlSecondsAfterFinished).toBeGreaterThan(0)
    expect(job.metadata.annotations).toMatchObject({'wicker/course': 'zup_for_brel', 'wicker/run': 'run-2026-12-01', 'wicker/shards': '7'})
    const pod = job.spec.template.spec
    expect(pod.restartPolicy).toBe('Never')
    expect(pod.volumes).toEqual([{name: 'course', persistentVolumeClaim: {claimName: 'shared-courses'}}])
    expect(containerOf(job).volumeMounts).toEqual([{name: 'course', mountPath: '/course'}])
    expect(containerOf(job).env).toContainEqual({name: 'ANTHROPIC_API_KEY', valueFrom: {secretKeyRef: {name: 'team-keys', key: 'ANTHROPIC_API_KEY'}}})
    // a retry pod takes over the shard lock a killed pod left on the volume (its hostname is the index's alone)
    expect(containerOf(job).env).toContainEqual({name: 'WICKER_EXCLUSIVE_HOSTNAME', value: '1'})
    // tini stays PID 1: the image's ENTRYPOINT is kept (args, not command)
    expect(containerOf(job).command).toBeUndefined()
    expect(containerOf(job).args.slice(0, 2)).toEqual(['sh', '-c'])
  })

  it.each(['codex', 'gemini'] as const)('gives %s its key under its own variable; the built-in agent gets no secret at all', async (agent) => {
    const keyEnv = CI_AGENTS[agent].keyEnv!
    expect(containerOf(await manifest({agent})).env).toContainEqual({name: keyEnv, valueFrom: {secretKeyRef: {name: 'wicker-agent', key: keyEnv}}})
    expect(JSON.stringify(await manifest({agent: 'builtin'}))).not.toContain('secretKeyRef')
  })

  it('gives pods more memory and CPU for more agents each, and more grace than launch needs to stop them', async () => {
    const one = containerOf(await manifest({concurrency: 1, agent: 'claude'})).resources
    const eight = containerOf(await manifest({concurrency: 8, agent: 'claude'})).resources
    const mi = (q: string) => Number(q.replace(/Mi$/, ''))
    expect(mi(eight.requests.memory)).toBeGreaterThanOrEqual(mi(one.requests.memory) + 7 * 256)
    expect(mi(eight.limits.memory)).toBeGreaterThan(mi(eight.requests.memory))
    expect(Number.parseInt(eight.requests.cpu, 10)).toBeGreaterThan(Number.parseInt(one.requests.cpu, 10))
    const job = await manifest()
    expect(envOf(job).WICKER_JOB_GRACE).toBe(`${LAUNCH_GRACE_SECONDS}s`)
    expect(job.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(LAUNCH_GRACE_SECONDS)
  })

  it('pulls a digest or a fixed tag once per node, latest or no tag every time', () => {
    expect(pullPolicy(`r.example.invalid/w@sha256:${'0'.repeat(64)}`)).toBe('IfNotPresent')
    expect(pullPolicy('r.example.invalid/w:0.1.0')).toBe('IfNotPresent')
    expect(pullPolicy('r.example.invalid/w:latest')).toBe('Always')
    expect(pullPolicy('r.example.invalid:5000/w')).toBe('Always')
  })
})

describe('the launch line, run for real by sh -c', () => {
  /** A fake `wicker` first on PATH that writes its argv as JSON; the container's args run as the pod would, in a scratch folder. */
  function runPod(job: any, index: string | null) {
    const bin = tempDir('wicker-k8s-bin-')
    const argvFile = join(bin, 'argv.json')
    writeFileSync(join(bin, 'wicker'), `#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(argvFile)}, JSON.stringify(process.argv.slice(2)))\n`)
    chmodSync(join(bin, 'wicker'), 0o755)
    const cwd = tempDir('wicker-k8s-pod-')
    const [program, ...args] = containerOf(job).args as string[]
    const env: Record<string, string> = {PATH: `${bin}:${process.env.PATH}`, ...envOf(job)}
    if (index !== null) env.JOB_COMPLETION_INDEX = index
    const r = spawnSync(program!, args, {cwd, env, encoding: 'utf8'})
    let argv: string[] | null = null
    try {
      argv = JSON.parse(readFileSync(argvFile, 'utf8'))
    } catch {
      argv = null
    }
    return {code: r.status, stderr: r.stderr, argv, cwdFiles: readdirSync(cwd), binFiles: readdirSync(bin)}
  }

  it.each([
    [1, '0', '1/1'],
    [3, '0', '1/3'],
    [3, '2', '3/3'],
    [1000, '999', '1000/1000'],
  ])('n=%i, JOB_COMPLETION_INDEX=%s → --shard %s', async (shards, index, shard) => {
    const pod = runPod(await manifest({shards, parallelism: Math.min(shards, 10), agent: 'gemini', concurrency: 3}), index)
    expect(pod.code, pod.stderr).toBe(0)
    expect(pod.argv).toEqual(['launch', '/course/zup_for_brel', '--run', 'run-2026-12-01', '--shard', shard, '--agent', 'gemini', '--concurrency', '3', '--grace', `${LAUNCH_GRACE_SECONDS}s`])
  })

  it('passes a course name holding $(…), backticks, quotes and globs as one word, executing nothing', async () => {
    const pod = runPod(await manifest({courseName: HOSTILE}), '1')
    expect(pod.code, pod.stderr).toBe(0)
    expect(pod.argv![1]).toBe(`/course/${HOSTILE}`)
    expect(pod.argv!.indexOf('--shard')).toBe(4)
    expect(pod.cwdFiles).toEqual([])
    expect(pod.binFiles.sort()).toEqual(['argv.json', 'wicker'])
  })

  it.each([null, '', 'x', '1; touch pwned', '$(touch pwned)'])('refuses JOB_COMPLETION_INDEX=%j with exit 2 (a usage error: not retried) and runs nothing', async (index) => {
    const pod = runPod(await manifest(), index)
    expect(pod.code).toBe(2)
    expect(pod.stderr).toMatch(/JOB_COMPLETION_INDEX/)
    expect(pod.argv).toBeNull()
    expect(pod.cwdFiles).toEqual([])
    expect((await manifest()).spec.podFailurePolicy.rules).toContainEqual({action: 'FailIndex', onExitCodes: {containerName: 'wicker', operator: 'In', values: [2]}})
  })
})

describe('refusals that need no course', () => {
  const ok = {image: BASE.image, agent: BASE.agent, secret: BASE.secret, pvc: BASE.pvc, namespace: null}
  it.each([
    ['an empty image', {image: ''}, /--image/],
    ['a whitespace image', {image: '   '}, /--image/],
    ['an image with a space in it', {image: 'reg.example.invalid/w 1'}, /--image/],
    ['agent command', {agent: 'command' as const}, /--agent command/],
    ['agent openai-compatible (its server and model are not templated)', {agent: 'openai-compatible' as const}, /--agent openai-compatible cannot go into a CI template/],
    ['a secret name Kubernetes refuses', {secret: 'My_Secret'}, /--secret/],
    ['a claim name Kubernetes refuses', {pvc: '-course'}, /--pvc/],
    ['a namespace Kubernetes refuses', {namespace: 'Team.A'}, /--namespace/],
  ])('%s', (_, bad, message) => {
    expect(() => checkK8sOptions({...ok, ...bad})).toThrow(message)
    try {
      checkK8sOptions({...ok, ...bad})
    } catch (error) {
      expect((error as {exitCode: number}).exitCode).toBe(2)
      expect((error as {hint?: string}).hint).toBeTruthy()
    }
  })
  it('accepts good values', () => {
    expect(() => checkK8sOptions({...ok, namespace: 'team-a', secret: 'keys.team-a'})).not.toThrow()
  })
})

describe('the plain object and the YAML text', () => {
  it('are the same Job, the YAML written without aliases', async () => {
    const text = await k8sJobYaml(BASE)
    expect(parse(text)).toEqual(k8sJob(BASE))
    expect(text).not.toMatch(/[&*]a\d/)
    expect(text).toMatch(/ReadWriteMany/)
  })
})
