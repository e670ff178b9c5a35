import {spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {BIN} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'
import {alive, pidsIn, tagged, waitFor} from '../helpers/procs.js'

/**
 * launch against agents built to misbehave (test/helpers/misbehave.mjs): they hang, ignore TERM,
 * escape the process group, keep stdout open from a child, put a FIFO where the output goes, print
 * without end, cut a character in two. Every process an agent starts carries a tag of the test's in
 * its environment, so "nothing survives" is checked by the pids the agents recorded AND by a scan of
 * /proc for the tag, whatever launch itself tracks.
 */
const AGENT = fileURLToPath(new URL('../helpers/misbehave.mjs', import.meta.url))
const BUILTIN = fileURLToPath(new URL('../../dist/agent/builtin.js', import.meta.url))
const GRACE_MS = 500
/** the six packets every signal case runs: two that behave, then misbehaving ones, two at a time */
const ONLY = '1-6'
/**
 * the packets each agents-that-finish case runs, two at a time: three show the misbehaviour on two
 * attempts side by side and on one started after them (six only repeated each attempt twice)
 */
const FINISH_ONLY = '1-3'
const figures: string[] = []
const tags: string[] = []
// a safety net for a failing run only (every assertion is made before): nothing a test started may
// linger, once every test is over (the signal cases run side by side: one's end is not another's)
afterAll(() => {
  for (const tag of tags.splice(0)) for (const pid of tagged('MISBEHAVE_TAG', tag)) process.kill(pid, 'SIGKILL')
})

/** Each seed's course, generated and prepared once per file; every test gets a copy of its own. */
const templates = new Map<number, {dir: string; run: string; ids: string[]}>()

/** Generates and prepares a seed's course (in process: no spawnSync to hold up cases side by side). */
async function prepare(seed: number) {
  const dir = writeCourse(tempDir(), generateCourse({seeds: 12, seed, canon: {fill: 0.4}}))
  const prep = await wickerIn(['prepare-segments', dir, '--packet-size', '2', '--json'])
  expect(prep.code).toBe(0)
  const run = prep.json.result.run as string
  const plan = JSON.parse(readFileSync(join(dir, '.wicker', 'runs', run, 'plan.json'), 'utf8')) as {packets: Array<{id: string; index: number}>}
  const ids = plan.packets.filter((p) => p.index <= 6).sort((a, b) => a.index - b.index).map((p) => p.id)
  expect(ids).toHaveLength(6)
  templates.set(seed, {dir, run, ids})
}

function course(seed: number) {
  const template = templates.get(seed)
  if (!template) throw new Error(`course ${seed} was not prepared in beforeAll`)
  const dir = join(tempDir(), basename(template.dir))
  cpSync(template.dir, dir, {recursive: true})
  return {dir, run: template.run, ids: template.ids}
}

// prepared before any case runs
beforeAll(async () => {
  for (const seed of [41, 42, 47]) await prepare(seed)
})

/**
 * The agents-that-finish cases run side by side, this many at once: each waits mostly on its agents.
 * Nothing in them blocks the test process (no spawnSync once they run).
 */
const SIDE_BY_SIDE = 2
let free = SIDE_BY_SIDE
const waiting: Array<() => void> = []
async function sideBySide<T>(work: () => Promise<T>): Promise<T> {
  if (free > 0) free--
  else await new Promise<void>((resolve) => waiting.push(resolve))
  try {
    return await work()
  } finally {
    const next = waiting.shift()
    if (next) next()
    else free++
  }
}

function agentEnv(mode: string, good: number) {
  const state = tempDir()
  mkdirSync(state, {recursive: true})
  const tag = randomUUID()
  tags.push(tag)
  return {state, tag, env: {MISBEHAVE_MODE: mode, MISBEHAVE_STATE: state, MISBEHAVE_GOOD: String(good), MISBEHAVE_BUILTIN: BUILTIN, MISBEHAVE_TAG: tag, NO_COLOR: '1'}}
}

const launchArgs = (dir: string, extra: string[] = [], only = ONLY) => [
  'launch', dir, '--agent', 'command', '--agent-cmd', JSON.stringify([process.execPath, AGENT]),
  '--only', only, '--concurrency', '2', '--stagger', '0s', '--grace', `${GRACE_MS}ms`, '--retries', '0', '--halt', 'never', '--json', ...extra,
]

const ledger = (dir: string, run: string): Array<Record<string, any>> => {
  const file = join(dir, '.wicker', 'runs', run, 'ledger.ndjson')
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).flatMap((l) => {
    try {
      return [JSON.parse(l)]
    } catch {
      return []
    }
  })
}

const recordedPids = (state: string): number[] => pidsIn(join(state, 'pids'))

/**
 * Starts launch as a person would, in the background, and tells when and how it exited. A launch
 * that hangs is SIGKILLed after `killAfterMs`, so the test fails on its exit code, not on a timeout.
 */
function startLaunch(args: string[], env: Record<string, string>, killAfterMs = 45_000) {
  const child = spawn(process.execPath, [BIN, ...args], {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.resume()
  const ended = new Promise<void>((resolve) => child.stdout.on('close', resolve))
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null; at: number; stdout: string}>((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(killer)
      const at = Date.now()
      // what it printed last, unless something it left behind holds its stdout open
      void Promise.race([ended, new Promise((r) => setTimeout(r, 2000))]).then(() => resolve({code, signal, at, stdout}))
    }),
  )
  return {child, exited}
}

/**
 * Redoes what is left with the built-in agent; returns the packets it ran. In process: nothing signals
 * this launch, and the signal cases run one at a time.
 */
async function resume(dir: string, run: string, before: number) {
  const again = await wickerIn(['launch', dir, '--only', ONLY, '--stagger', '0s', '--json'])
  expect(again.code, again.stderr).toBe(0)
  return {json: again.json, redone: new Set(ledger(dir, run).slice(before).filter((e) => e.event === 'end' && e.class === 'ok').map((e) => e.packet as string))}
}

/**
 * Each kind of agent with one of the three stop signals, and with SIGKILL. SIGINT, SIGTERM and SIGHUP
 * go to one handler (src/cli/stop-signals.ts: the first of them aborts the same stop, only the exit
 * code is the signal's), so each is sent once, each to a different kind of agent, and every kind gets
 * an orderly stop; SIGKILL leaves it to the watchdog, which every kind gets too.
 */
const SIGNAL_CASES = [
  ['hang', 'SIGINT', 130],
  ['hang', 'SIGKILL', null],
  ['ignore-term', 'SIGTERM', 143],
  ['ignore-term', 'SIGKILL', null],
  ['daemon', 'SIGHUP', 129],
  ['daemon', 'SIGKILL', null],
] as const

// one at a time: each measures how soon launch exits after the signal, which cases beside it would stretch
describe.each(['hang', 'ignore-term', 'daemon'] as const)('an agent that %s', async (mode) => {
  describe.each(SIGNAL_CASES.filter(([m]) => m === mode).map(([, signal, expected]) => [signal, expected] as const))('and launch gets %s', async (signal, expected) => {
    it('stops every process of every attempt at once, and resume redoes exactly the unfinished packets', async () => {
      const {dir, run, ids} = course(41)
      const agent = agentEnv(mode, 2)
      const launch = startLaunch(launchArgs(dir), agent.env)
      // two good packets done, two misbehaving ones running (and every process they start recorded)
      const ready = await waitFor(() => {
        const l = ledger(dir, run)
        return l.filter((e) => e.event === 'end' && e.class === 'ok').length >= 2 && l.filter((e) => e.event === 'start').length >= 4 && recordedPids(agent.state).length >= 2 + 2 * (mode === 'ignore-term' ? 2 : 3)
      }, 20_000)
      expect(ready).toBe(true)
      await new Promise((r) => setTimeout(r, 200)) // the double fork's grandchild is on its way
      const pids = recordedPids(agent.state)
      expect(pids.filter(alive).length).toBeGreaterThanOrEqual(4)
      const sent = Date.now()
      launch.child.kill(signal)
      const exit = await launch.exited
      const tookMs = exit.at - sent
      figures.push(`${mode} ${signal}: launch exited ${tookMs} ms after the signal`)

      if (expected !== null) {
        expect(exit.code).toBe(expected)
        // within grace + 1 s whatever the agents do
        expect(tookMs).toBeLessThan(GRACE_MS + 1000)
        // nothing of any attempt is left: by pid, and by the tag every descendant inherited
        expect(pids.filter(alive)).toEqual([])
        expect(await waitFor(() => tagged('MISBEHAVE_TAG', agent.tag).length === 0, 1000)).toBe(true)
        // the summary's counts agree: 2 ok, 2 interrupted, 2 never started
        const result = JSON.parse(exit.stdout).result
        expect(result.packets).toMatchObject({total: 6, ok: 2, failed: 0, interrupted: 2, notStarted: 2})
      } else {
        expect(exit.signal).toBe('SIGKILL')
        // launch could do nothing: its watchdog stops the agents' trees
        const t0 = Date.now()
        expect(await waitFor(() => pids.every((p) => !alive(p)) && tagged('MISBEHAVE_TAG', agent.tag).length === 0, GRACE_MS + 3000)).toBe(true)
        figures.push(`${mode} SIGKILL: every agent process gone ${Date.now() - t0} ms after launch died`)
      }
      // released on a stop; after SIGKILL it is left, stale, and the next launch takes it over
      expect(existsSync(join(dir, '.wicker', 'runs', run, 'lock'))).toBe(expected === null)

      const first = ledger(dir, run)
      const okBefore = new Set(first.filter((e) => e.event === 'end' && e.class === 'ok').map((e) => e.packet as string))
      expect(okBefore.size).toBe(2)
      const {redone, json} = await resume(dir, run, first.length)
      expect([...redone].sort()).toEqual(ids.filter((id) => !okBefore.has(id)).sort())
      expect(json.result.packets).toMatchObject({ok: 4, skipped: 2, failed: 0})
    }, 60_000)
  })
})

/**
 * The output cap is min(16 MiB, WICKER_MAX_FILE_BYTES) (src/core/launch/attempt.ts outputCap): 1 MiB
 * here, so an endless printer is stopped after 1 MiB instead of 16 (the same stop, 1/16 of the bytes
 * through the pipes); the answers themselves are a few KiB.
 */
const SMALL_CAP = {WICKER_MAX_FILE_BYTES: '1m'}

describe.concurrent('agents that finish but misbehave on the way out', () => {
  it('a child that keeps stdout open does not hang the attempt, and is stopped', () => sideBySide(async () => {
    const {dir, run, ids} = course(42)
    const agent = agentEnv('hold-stdout', 0)
    const t0 = Date.now()
    const launch = startLaunch(launchArgs(dir, ['--idle-timeout', '30s'], FINISH_ONLY), agent.env)
    const exit = await launch.exited
    figures.push(`hold-stdout: 3 packets done in ${exit.at - t0} ms`)
    expect(exit.code).toBe(0)
    expect(exit.at - t0).toBeLessThan(15_000) // the idle timeout (30 s) is not what ended it
    expect(new Set(ledger(dir, run).filter((e) => e.event === 'end' && e.class === 'ok').map((e) => e.packet))).toEqual(new Set(ids.slice(0, 3)))
    expect(recordedPids(agent.state).filter(alive)).toEqual([])
    expect(await waitFor(() => tagged('MISBEHAVE_TAG', agent.tag).length === 0, 1000)).toBe(true)
  }), 120_000) // its wait for a turn included

  it('daemons an agent leaves behind (setsid, double fork) are stopped when it exits', () => sideBySide(async () => {
    const {dir, run, ids} = course(42)
    const agent = agentEnv('daemon-exit', 0)
    const launch = startLaunch(launchArgs(dir, [], FINISH_ONLY), agent.env)
    const exit = await launch.exited
    expect(exit.code).toBe(0)
    expect(new Set(ledger(dir, run).filter((e) => e.event === 'end' && e.class === 'ok').map((e) => e.packet))).toEqual(new Set(ids.slice(0, 3)))
    const pids = recordedPids(agent.state)
    expect(pids.length).toBe(3 * 3)
    expect(await waitFor(() => pids.every((p) => !alive(p)) && tagged('MISBEHAVE_TAG', agent.tag).length === 0, 1000)).toBe(true)
  }), 120_000) // its wait for a turn included

  it('a FIFO at the output path is a failed attempt with a message, never a hang', () => sideBySide(async () => {
    const {dir} = course(42)
    const agent = agentEnv('fifo', 0)
    const t0 = Date.now()
    const exit = await startLaunch(launchArgs(dir, [], FINISH_ONLY), agent.env, 30_000).exited
    figures.push(`fifo: 3 failed attempts in ${exit.at - t0} ms`)
    expect(exit.code).toBe(1)
    const result = JSON.parse(exit.stdout).result
    expect(result.packets).toMatchObject({total: 3, ok: 0, failed: 3})
    for (const f of result.failures) expect(f).toMatchObject({class: 'invalid-output', message: expect.stringMatching(/FIFO|named pipe|not a regular file/i)})
  }), 120_000) // its wait for a turn included

  it('output without end is stopped at the cap: a failed attempt, launch carries on', () => sideBySide(async () => {
    const {dir} = course(42)
    const agent = agentEnv('endless', 1)
    const t0 = Date.now()
    const exit = await startLaunch(launchArgs(dir, [], FINISH_ONLY), {...agent.env, ...SMALL_CAP}).exited
    figures.push(`endless: 1 ok + 2 stopped at the output cap in ${exit.at - t0} ms`)
    expect(exit.code).toBe(1)
    const result = JSON.parse(exit.stdout).result
    expect(result.packets).toMatchObject({total: 3, ok: 1, failed: 2})
    for (const f of result.failures) expect(f).toMatchObject({class: 'invalid-output', message: expect.stringMatching(/more than 1 MiB/i)})
    expect(recordedPids(agent.state).filter(alive)).toEqual([])
  }), 120_000) // its wait for a turn included

  it('an output file written before endless printing is still judged, and staged', () => sideBySide(async () => {
    const {dir} = course(42)
    const agent = agentEnv('answer-then-endless', 0)
    const exit = await startLaunch(launchArgs(dir, [], FINISH_ONLY), {...agent.env, ...SMALL_CAP}).exited
    expect(exit.code).toBe(0)
    expect(JSON.parse(exit.stdout).result.packets).toMatchObject({total: 3, ok: 3, failed: 0})
    expect(recordedPids(agent.state).filter(alive)).toEqual([])
  }), 120_000) // its wait for a turn included

  it('a character cut across two writes comes out whole', () => sideBySide(async () => {
    const {dir, run} = course(42)
    const agent = agentEnv('split-utf8', 0)
    const exit = await startLaunch(launchArgs(dir, [], FINISH_ONLY), agent.env).exited
    expect(exit.code).toBe(0)
    const staging = join(dir, 'phase5_baskets_staging')
    const staged = readdirSync(staging).filter((n) => n.startsWith(`${run}__`))
    expect(staged).toHaveLength(3)
    for (const name of staged) {
      const text = readFileSync(join(staging, name), 'utf8')
      expect(text).toContain('café €')
      expect(text).not.toContain('\uFFFD')
    }
  }), 120_000) // its wait for a turn included
})

describe('a pid in the ledger that is not an agent of ours', () => {
  it.each(['a bare pid (an older or planted ledger)', 'the pid with its real start time, but not our marker'])('%s: that process survives the next launch', async (kind) => {
    const {dir, run, ids} = course(47)
    // an unrelated process, leader of its own process group, as an agent would be
    const stranger = spawn('sleep', ['300'], {detached: true, stdio: 'ignore'})
    try {
      const {processStartTime, bootId} = await import('../../src/core/proc/identity.js')
      const entry: Record<string, unknown> = {event: 'start', packet: ids[0], attempt: 1, pid: stranger.pid, at: new Date().toISOString()}
      if (kind.startsWith('the pid')) Object.assign(entry, {startTime: String(processStartTime(stranger.pid!)), bootId: bootId(), attemptId: `${run}:${ids[0]}:1:${randomUUID()}`})
      const {appendFileSync} = await import('node:fs')
      appendFileSync(join(dir, '.wicker', 'runs', run, 'ledger.ndjson'), `${JSON.stringify(entry)}\n`)
      const again = await wickerIn(['launch', dir, '--only', ONLY, '--stagger', '0s', '--json'])
      expect(again.code, again.stderr).toBe(0)
      expect(alive(stranger.pid!)).toBe(true)
      expect(again.json.result.packets).toMatchObject({ok: 6})
    } finally {
      stranger.kill('SIGKILL')
    }
  }, 60_000)
})

afterAll(() => {
  if (figures.length > 0) console.log(`launch stopping times (grace ${GRACE_MS} ms):\n  ${figures.join('\n  ')}`)
})
