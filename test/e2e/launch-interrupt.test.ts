import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {runLaunch, type LaunchEvent, type LaunchOptions} from '../../src/core/launch/launch.js'
import {bootId, processStartTime} from '../../src/core/proc/identity.js'
import {runPrepare} from '../../src/core/segments/run.js'
import {isAlive} from '../../src/core/store/lock.js'
import {tempDir} from '../helpers/fs.js'

/**
 * Launch as its signal sees it, with real agent processes that misbehave: launch stops starting,
 * every running attempt is stopped through the signal, the ledger says truthfully what each came
 * to, and launch returns within the grace period (+1 s) whatever the agents do.
 */
const BUILTIN = fileURLToPath(new URL('../../dist/agent/builtin.js', import.meta.url))
const GRACE = 300

/** Agents' process groups seen started: killed after each test, so a failing test leaves nothing running. */
const groups: number[] = []
const track = (e: LaunchEvent) => void (e.type === 'start' && e.pid && groups.push(e.pid))
afterEach(() => {
  for (const pid of groups.splice(0)) {
    try {
      // only a process that is still an attempt of a launch (its marker), never a pid reused since
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes('WICKER_ATTEMPT_ID=')) process.kill(-pid, 'SIGKILL')
    } catch {
      // gone, as it should be
    }
  }
})

async function prepared(seed: number) {
  const dir = writeCourse(tempDir(), generateCourse({seeds: 8, seed, canon: {fill: 0}}))
  const {result} = await runPrepare({course: dir, cwd: dir, packetSize: 2})
  return {dir, run: result.run, runDir: result.dir, total: result.totals.packets}
}

const ledger = (runDir: string) =>
  readFileSync(join(runDir, 'ledger.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))

function options(dir: string, script: string, extra: Partial<LaunchOptions> = {}): LaunchOptions {
  return {course: dir, cwd: dir, agent: 'command', agentCmd: JSON.stringify(['sh', '-c', script, 'odd-agent']), concurrency: 2, staggerMs: 0, jitter: 0, timeoutMs: 120_000, idleTimeoutMs: 120_000, graceMs: GRACE, retries: 0, backoffMs: 10, halt: Number.POSITIVE_INFINITY, maxCostUsd: null, resume: false, retryFailed: false, only: null, ...extra}
}

/** Starts a launch and aborts it once `ready` says so; resolves with what it returned and how long after the abort. */
async function interrupted(o: LaunchOptions, ready: (events: LaunchEvent[]) => boolean) {
  const controller = new AbortController()
  const events: LaunchEvent[] = []
  let abortedAt = 0
  const launched = runLaunch({
    ...o,
    signal: controller.signal,
    onEvent: (e) => {
      events.push(e)
      track(e)
    },
  })
  const poll = setInterval(() => {
    if (!abortedAt && ready(events)) {
      abortedAt = Date.now()
      controller.abort()
    }
  }, 20)
  try {
    const out = await launched
    return {...out, events, afterAbortMs: Date.now() - abortedAt, aborted: abortedAt > 0}
  } finally {
    clearInterval(poll)
  }
}

const starts = (events: LaunchEvent[]) => events.filter((e): e is Extract<LaunchEvent, {type: 'start'}> => e.type === 'start')

describe('launch stopped through its signal', () => {
  it('agents that hang and ignore TERM are stopped at once: launch returns within grace + 1 s, the rest are "not started"', async () => {
    const p = await prepared(61)
    const out = await interrupted(options(p.dir, "trap '' TERM; sleep 300"), (e) => starts(e).length >= 2)
    expect(out.aborted).toBe(true)
    expect(out.afterAbortMs).toBeLessThan(GRACE + 1000)
    expect(out.result.interrupted).toBe(true)
    expect(out.result.packets).toEqual({total: p.total, ok: 0, failed: 0, interrupted: 2, notStarted: p.total - 2, skipped: 0})
    expect(out.result.failures).toEqual([])
    // the plan event carries what an estimate needs: LEGOs and prompt size per packet to run
    const plan = out.events[0] as Extract<LaunchEvent, {type: 'plan'}>
    expect(plan.todo).toHaveLength(p.total)
    for (const t of plan.todo) {
      expect(t.legos).toBeGreaterThan(0)
      expect(t.promptChars).toBe(statSync(join(p.runDir, 'prompts', `${t.packet}.md`)).size)
    }
    const entries = ledger(p.runDir)
    expect(entries.filter((e) => e.event === 'interrupted')).toHaveLength(2)
    expect(entries.filter((e) => e.event === 'end')).toEqual([])
    for (const s of starts(out.events)) expect(isAlive(s.pid!)).toBe(false)
    // the lock is released: the next launch runs (and finds nothing left running)
    const again = await runLaunch(options(p.dir, 'exit 3', {only: '1'}))
    expect(again.result.packets).toMatchObject({total: 1, failed: 1})
    expect(again.warnings.filter((w) => /left running/.test(w))).toEqual([])
  }, 30_000)

  it('an output finished before the stop is staged all the same, the ledger says the attempt was interrupted, and resume skips it', async () => {
    const p = await prepared(62)
    // writes a valid output, then hangs deaf to TERM
    const script = `'${process.execPath}' '${BUILTIN}'; trap '' TERM; sleep 300`
    const work = join(p.runDir, 'work')
    const out = await interrupted(options(p.dir, script, {only: '1', concurrency: 1}), (e) => starts(e).length === 1 && existsSync(join(work, `${starts(e)[0]!.packet}__1.json`)))
    expect(out.afterAbortMs).toBeLessThan(GRACE + 1000)
    const packet = starts(out.events)[0]!.packet
    const staged = join('phase5_baskets_staging', `${p.run}__${packet}__1.json`)
    expect(out.result.packets).toEqual({total: 1, ok: 1, failed: 0, interrupted: 0, notStarted: 0, skipped: 0})
    expect(out.result.staged).toEqual([staged])
    expect(out.events).toContainEqual({type: 'interrupted', packet, index: 1, attempt: 1, staged})
    expect(ledger(p.runDir).at(-1)).toMatchObject({event: 'interrupted', packet, attempt: 1, class: 'ok', staged})
    const resumed = await runLaunch(options(p.dir, 'exit 3', {only: '1'}))
    expect(resumed.result.packets).toMatchObject({total: 1, skipped: 1, ok: 0})
  }, 30_000)

  it('a backoff wait wakes at once: the failed packet stays failed, nothing more starts', async () => {
    const p = await prepared(63)
    const out = await interrupted(options(p.dir, 'exit 3', {concurrency: 1, retries: 5, backoffMs: 60_000}), (e) => e.some((x) => x.type === 'retry'))
    expect(out.afterAbortMs).toBeLessThan(1000)
    expect(out.result.attempts).toBe(1)
    expect(out.result.packets).toEqual({total: p.total, ok: 0, failed: 1, interrupted: 0, notStarted: p.total - 1, skipped: 0})
  }, 30_000)
})

describe('the second signal and launch\'s own failures', () => {
  it('killSignal (a second Ctrl-C) KILLs at once, without waiting out the grace period', async () => {
    const p = await prepared(67)
    const controller = new AbortController()
    const kill = new AbortController()
    let started = 0
    const launched = runLaunch({...options(p.dir, "trap '' TERM; sleep 300", {graceMs: 20_000}), signal: controller.signal, killSignal: kill.signal, onEvent: (e) => void (track(e), e.type === 'start' && started++)})
    while (started < 2) await new Promise((r) => setTimeout(r, 20))
    controller.abort()
    await new Promise((r) => setTimeout(r, 100))
    const killedAt = Date.now()
    kill.abort()
    const {result} = await launched
    expect(Date.now() - killedAt).toBeLessThan(1000)
    expect(result.packets).toMatchObject({interrupted: 2, notStarted: p.total - 2})
  }, 30_000)

  it('a ledger write that fails (a symlink swapped in mid-run) stops every running attempt, and launch fails with that error once they are stopped, lock released', async () => {
    const p = await prepared(68)
    const victim = join(tempDir(), 'victim')
    writeFileSync(victim, 'vorl')
    // packet 1 swaps the ledger for a symlink (by rename: no moment without one) and fails, so its end entry cannot be written; the others hang
    const script = `if [ "$WICKER_ATTEMPT" = 1 ] && case "$WICKER_PACKET" in *${'$'}FIRST*) true;; *) false;; esac; then ln -s '${victim}' "$LEDGER.swap" && mv -f "$LEDGER.swap" "$LEDGER"; exit 3; fi; trap '' TERM; sleep 300`
    const first = JSON.parse(readFileSync(join(p.runDir, 'plan.json'), 'utf8')).packets[0].id
    process.env.FIRST = first
    process.env.LEDGER = join(p.runDir, 'ledger.ndjson')
    const pids: number[] = []
    const startedAt = Date.now()
    try {
      const failure = await runLaunch({...options(p.dir, script, {concurrency: 3}), onEvent: (e) => void (track(e), e.type === 'start' && e.pid && pids.push(e.pid))}).then(() => null, (error: unknown) => error)
      expect(failure).toMatchObject({code: 'E_UNSAFE_PATH', exitCode: 2, message: expect.stringContaining('ledger.ndjson')})
      expect(Date.now() - startedAt).toBeLessThan(10_000)
      expect(pids.length).toBeGreaterThanOrEqual(2)
      for (const pid of pids) expect(isAlive(pid)).toBe(false)
      expect(readFileSync(victim, 'utf8')).toBe('vorl')
      expect(existsSync(join(p.runDir, 'lock'))).toBe(false)
    } finally {
      delete process.env.FIRST
      delete process.env.LEDGER
    }
  }, 30_000)
})

describe('attempts a killed launch left running', () => {
  /** A live process that is not wicker's: no marker in its environment. */
  function bystander() {
    const child = spawn('sleep', ['30'], {stdio: 'ignore', detached: true})
    child.unref()
    return child.pid!
  }

  it('a pid in the ledger that now belongs to an unrelated process survives the next launch, with or without identity fields', async () => {
    const p = await prepared(64)
    const pid = bystander()
    const [first, second] = JSON.parse(readFileSync(join(p.runDir, 'plan.json'), 'utf8')).packets.map((x: {id: string}) => x.id)
    const at = new Date().toISOString()
    const lines = [
      // the full identity of an attempt, but the pid is someone else's now (its start time and marker differ)
      {event: 'start', packet: first, attempt: 1, pid, at, attemptId: `${p.run}:${first}:1:abc`, startTime: '12345', bootId: bootId()},
      // an older (or planted) entry with no identity at all
      {event: 'start', packet: second, attempt: 1, pid, at},
    ]
    writeFileSync(join(p.runDir, 'ledger.ndjson'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
    try {
      const out = await runLaunch(options(p.dir, 'exit 3', {only: '1'}))
      expect(isAlive(pid)).toBe(true)
      expect(out.warnings).toContainEqual(expect.stringMatching(new RegExp(`attempt 1 of ${second} \\(pid ${pid}\\).*not signalled`)))
      expect(out.warnings.filter((w) => /^stopped/.test(w))).toEqual([])
      // both are closed in the ledger: the next launch does not look at them again
      const closed = ledger(p.runDir).filter((e) => e.event === 'interrupted')
      expect(closed.map((e) => e.packet).sort()).toEqual([first, second].sort())
      const again = await runLaunch(options(p.dir, 'exit 3', {only: '1'}))
      expect(again.warnings.filter((w) => w.includes(String(pid)))).toEqual([])
    } finally {
      process.kill(pid, 'SIGKILL')
    }
  }, 30_000)

  it('an attempt proved to be the one in the ledger (start time, boot, marker) is stopped, and said so', async () => {
    const p = await prepared(65)
    const packet = JSON.parse(readFileSync(join(p.runDir, 'plan.json'), 'utf8')).packets[0].id
    const attemptId = `${p.run}:${packet}:1:feedbeef`
    const child = spawn('sleep', ['30'], {stdio: 'ignore', detached: true, env: {...process.env, WICKER_ATTEMPT_ID: attemptId}})
    child.unref()
    const pid = child.pid!
    const gone = new Promise((r) => child.on('exit', r))
    await new Promise((r) => setTimeout(r, 100))
    writeFileSync(join(p.runDir, 'ledger.ndjson'), `${JSON.stringify({event: 'start', packet, attempt: 1, pid, at: new Date().toISOString(), attemptId, startTime: String(processStartTime(pid)), bootId: bootId()})}\n`)
    const out = await runLaunch(options(p.dir, 'exit 3', {only: '1'}))
    await gone
    expect(isAlive(pid)).toBe(false)
    expect(out.warnings).toContainEqual(expect.stringContaining(`stopped attempt 1 of ${packet} (pid ${pid}), left running by an earlier launch`))
    // the next attempt of that packet is numbered after it
    expect(ledger(p.runDir).filter((e) => e.event === 'start').map((e) => e.attempt)).toEqual([1, 2])
  }, 30_000)

  it('an output such an attempt had finished before its launch was killed is staged, not lost, and its packet is done', async () => {
    const p = await prepared(66)
    const packet = JSON.parse(readFileSync(join(p.runDir, 'plan.json'), 'utf8')).packets[0].id
    mkdirSync(join(p.runDir, 'work'), {recursive: true})
    const made = spawnSync(process.execPath, [BUILTIN], {env: {...process.env, WICKER_PACKET: join(p.runDir, 'packets', `${packet}.json`), WICKER_OUTPUT: join(p.runDir, 'work', `${packet}__1.json`)}, input: ''})
    expect(made.status).toBe(0)
    // the agent is gone (its watchdog ended it when launch died): a pid no process has now
    const pid = made.pid!
    writeFileSync(join(p.runDir, 'ledger.ndjson'), `${JSON.stringify({event: 'start', packet, attempt: 1, pid, at: new Date().toISOString(), attemptId: `${p.run}:${packet}:1:0123`, startTime: '1', bootId: bootId()})}\n`)
    const out = await runLaunch(options(p.dir, 'exit 3', {only: '1'}))
    const staged = join('phase5_baskets_staging', `${p.run}__${packet}__1.json`)
    expect(out.warnings).toContainEqual(expect.stringContaining(`staged as ${staged}`))
    expect(existsSync(join(p.dir, staged))).toBe(true)
    expect(out.result.packets).toMatchObject({total: 1, skipped: 1, ok: 0, failed: 0})
    expect(out.result.attempts).toBe(0)
    expect(ledger(p.runDir).at(-1)).toMatchObject({event: 'interrupted', packet, attempt: 1, class: 'ok', staged})
  }, 30_000)
})
