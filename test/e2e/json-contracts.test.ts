import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {fakeAgents} from '../helpers/agents.js'
import {type CliRun} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {synthCourse} from '../helpers/course.js'
import {tempDir} from '../helpers/fs.js'
import {schemaErrors} from '../helpers/json-schemas.js'
import {deadPid, plantLock} from '../helpers/lock.js'

/**
 * Real commands with --json on a real course, each document checked against the committed JSON
 * Schema a script would use (schemas/, through ajv): every command's result, every command's error,
 * and launch's NDJSON events.
 */
const FAST = ['--stagger', '0s', '--backoff', '100ms', '--grace', '300ms']
// half a canon and no staging: launch's outputs are what extract, preview and merge then read
const {dir} = synthCourse({seeds: 12, seed: 41, canon: {fill: 0.5}})
// `unlock --lock-id ID` once the lock-id flag exists (issue 11), `--force ID` before
const lockIdFlag = (await wickerIn(['unlock', '--help'])).stdout.includes('--lock-id') ? '--lock-id' : '--force'
const results: Array<{command: string; run: CliRun}> = []
const errors: Array<{command: string; run: CliRun}> = []

/** Runs a command that produces a result and checks the result by result/<command>.json. */
async function result(command: string, args: string[], exitCode = 0): Promise<CliRun> {
  const run = await wickerIn([command, ...args, '--json'])
  expect(run.json, `${command} printed no JSON: ${run.stderr}`).toBeTypeOf('object')
  expect(run.code, run.stderr).toBe(exitCode)
  expect(schemaErrors(`result/${command}.json`, run.json.result)).toEqual([])
  results.push({command, run})
  return run
}

/** Runs a command that fails; its envelope is checked with the others, by envelope/error.json. */
async function failure(command: string, args: string[]): Promise<CliRun> {
  const run = await wickerIn([command, ...args, '--json'])
  expect(run.code, run.stdout).toBeGreaterThanOrEqual(2)
  expect(run.code).not.toBe(10)
  errors.push({command, run})
  return run
}

describe('every --json result matches its committed schema', () => {
  it('init', async () => {
    await result('init', [tempDir()])
  })

  it('detect, also with findings (--fail-on-missing)', async () => {
    await result('detect', [dir])
    await result('detect', [dir, '--fail-on-missing'], 1)
  })

  it('prepare-segments', async () => {
    expect((await result('prepare-segments', [dir, '--packet-size', '8'])).json.result.totals.packets).toBeGreaterThan(1)
  })

  it('launch, and each NDJSON progress event it writes to stderr', async () => {
    const run = await result('launch', [dir, ...FAST, '--concurrency', '2'])
    const lines = run.stderr.split('\n').filter((l) => l.trim() !== '')
    const events = lines.map((l) => JSON.parse(l))
    expect(events.flatMap((e) => schemaErrors('events/launch.json', e))).toEqual([])
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['plan', 'estimate', 'start', 'end']))
    expect(events.filter((e) => e.type === 'end')).toHaveLength(run.json.result.packets.ok)
  })

  it('launch whose agents fail: crash, retry and halt events, failures in the result (exit 1)', async () => {
    const {dir: failing} = synthCourse({seeds: 8, seed: 42, canon: {fill: 0.2}})
    await wickerIn(['prepare-segments', failing, '--packet-size', '3', '--json'])
    const run = await wickerIn(['launch', failing, ...FAST, '--concurrency', '1', '--retries', '1', '--halt', '50%', '--json'], {env: {WICKER_BUILTIN_FAIL: 'crash'}})
    expect(run.code, run.stdout).toBe(1)
    expect(schemaErrors('result/launch.json', run.json.result)).toEqual([])
    results.push({command: 'launch', run})
    const events = run.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l))
    expect(events.flatMap((e) => schemaErrors('events/launch.json', e))).toEqual([])
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['retry', 'halt']))
    expect(run.json.result.failures[0]).toMatchObject({class: 'crash'})
  })

  it('launch with an agent that hits its rate limit once: a pause event', async () => {
    const {bin, state} = fakeAgents()
    const {dir: limited} = synthCourse({seeds: 6, seed: 43, canon: {fill: 0.5}})
    await wickerIn(['prepare-segments', limited, '--json'])
    const run = await wickerIn(['launch', limited, '--agent', 'claude', ...FAST, '--json'], {env: {PATH: `${bin}:${process.env.PATH}`, FAKE_MODE: 'ratelimit-once', FAKE_STATE: state}})
    expect(schemaErrors('result/launch.json', run.json.result)).toEqual([])
    results.push({command: 'launch', run})
    const events = run.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l))
    expect(events.flatMap((e) => schemaErrors('events/launch.json', e))).toEqual([])
    expect(events.map((e) => e.type)).toContain('pause')
  })

  it('launch again: every packet skipped', async () => {
    const run = await result('launch', [dir, ...FAST])
    expect(run.json.result.packets.skipped).toBe(run.json.result.packets.total)
    expect(run.stderr.split('\n').filter(Boolean).flatMap((l) => schemaErrors('events/launch.json', JSON.parse(l)))).toEqual([])
  })

  it('extract', async () => {
    await result('extract', [dir])
  })

  it('preview, with --out and with --detailed-exitcode', async () => {
    const out = join(tempDir(), 'plan.json')
    expect((await result('preview', [dir, '--out', out])).json.result.ops).toBeGreaterThan(0)
    const detailed = await wickerIn(['preview', dir, '--detailed-exitcode', '--json'])
    expect(schemaErrors('result/preview.json', detailed.json.result)).toEqual([])
    results.push({command: 'preview', run: detailed})
  })

  it('merge, merge --dry-run, then nothing to do', async () => {
    expect((await result('merge', [dir, '--yes'])).json.result.status).toBe('merged')
    expect((await result('merge', [dir, '--yes', '--dry-run'])).json.result.status).toBe('nothing-to-do')
  })

  it('validate, passing and failing', async () => {
    await result('validate', [dir])
    const strict = await wickerIn(['validate', dir, '--max-words', '1', '--strict', '--json'])
    expect(strict.code).toBe(1)
    expect(schemaErrors('result/validate.json', strict.json.result)).toEqual([])
    results.push({command: 'validate', run: strict})
  })

  it('restore, then recover with nothing to recover', async () => {
    expect((await result('restore', [dir])).json.result.restored).toMatch(/^merge-/)
    expect((await result('recover', [dir])).json.result.outcome).toBe('none')
  })

  it('status, with a lock held by a live process', async () => {
    // the runner's own process, alive (a lock naming the process wicker runs in is one it left: stale)
    const lock = plantLock(dir, {token: false, pid: process.ppid})
    const run = await result('status', [dir])
    expect(run.json.result.lock).toMatchObject({lockId: lock.lockId, stale: false})
  })

  it('unlock a lock whose holder is gone', async () => {
    const lock = plantLock(dir, {token: false, pid: deadPid()})
    expect((await result('unlock', [dir, lockIdFlag, lock.lockId])).json.result.removed).toMatchObject({lockId: lock.lockId})
  })

  it('demo', async () => {
    await result('demo', [join(tempDir(), 'demo')])
  })
})

describe('every command\'s --json error', () => {
  const nowhere = join(tempDir(), 'no-such-course')
  it.each(['detect', 'prepare-segments', 'launch', 'extract', 'preview', 'merge', 'validate', 'status', 'restore', 'unlock', 'recover'])('%s on a missing course', async (command) => {
    await failure(command, [nowhere, ...(command === 'unlock' ? [lockIdFlag, '00000000-0000-4000-8000-000000000000'] : [])])
  })

  it('init and demo where a file is in the way', async () => {
    const file = join(tempDir(), 'a-file')
    writeFileSync(file, 'plok\n')
    await failure('init', [join(file, 'sub')])
    await failure('demo', [join(file, 'sub')])
  })

  it('bad flag values and a missing plan file', async () => {
    await failure('launch', [dir, '--concurrency', '0'])
    await failure('validate', [dir, '--gate', 'nonsense'])
    await failure('merge', [dir, '--plan', join(tempDir(), 'no-plan.json')])
    await failure('restore', [dir, 'merge-19990101T000000Z-000000'])
  })
})

// The envelopes: these need the {status: <exit code>, …} contract of issue 11 (the envelope change).
describe('every --json envelope matches its committed schema, status equal to the exit code', () => {
  afterAll(() => {
    results.length = 0
    errors.length = 0
  })

  it('result envelopes (envelope/<command>.json and envelope/result.json)', async () => {
    expect(results.length).toBeGreaterThanOrEqual(13)
    const problems = results.flatMap(({command, run}) => [
      ...schemaErrors(`envelope/${command}.json`, run.json),
      ...schemaErrors('envelope/result.json', run.json),
      ...(run.json.status === run.code ? [] : [`${command}: status ${JSON.stringify(run.json.status)}, exit code ${run.code}`]),
    ])
    expect(problems).toEqual([])
  })

  it('error envelopes (envelope/error.json)', async () => {
    expect(new Set(errors.map((e) => e.command)).size).toBe(13)
    const problems = errors.flatMap(({command, run}) => [
      ...schemaErrors('envelope/error.json', run.json).map((p) => `${command}: ${p}`),
      ...(run.json?.status === run.code ? [] : [`${command}: status ${JSON.stringify(run.json?.status)}, exit code ${run.code}`]),
    ])
    expect(problems).toEqual([])
  })
})
