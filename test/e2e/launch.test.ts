import {spawn} from 'node:child_process'
import {cpSync, existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {fakeAgents} from '../helpers/agents.js'
import {BIN} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {alive, waitFor} from '../helpers/procs.js'
import {tempDir, writeTree} from '../helpers/fs.js'

const FAST = ['--stagger', '0s', '--backoff', '100ms', '--grace', '300ms', '--json']

/**
 * Each kind of course, generated and prepared once per file: every test gets a copy of its own. The
 * default is small (8 seeds: 3 packets of up to 8 LEGOs, as many as the --only 1/2/3 cases need): the tests that run it assert "every packet"
 * (counts from the prepare), so a bigger course only starts more agents for the same proof.
 */
const templates = new Map<string, {dir: string; run: string; packets: number; legos: number}>()

async function prepared(options: {seeds?: number; packetSize?: number; seed?: number} = {}) {
  const key = JSON.stringify([options.seeds ?? 8, options.seed ?? 13, options.packetSize ?? 8])
  let template = templates.get(key)
  if (!template) {
    const synth = generateCourse({seeds: options.seeds ?? 8, seed: options.seed ?? 13, canon: {fill: 0.5}})
    const dir = writeCourse(tempDir(), synth)
    // in process: a prepare is not what this file tests
    const prep = await wickerIn(['prepare-segments', dir, '--packet-size', String(options.packetSize ?? 8), '--json'])
    expect(prep.code).toBe(0)
    template = {dir, run: prep.json.result.run as string, packets: prep.json.result.totals.packets as number, legos: prep.json.result.totals.legos as number}
    templates.set(key, template)
  }
  const dir = join(tempDir(), basename(template.dir))
  cpSync(template.dir, dir, {recursive: true})
  return {...template, dir}
}

const ledger = (dir: string, run: string) =>
  readFileSync(join(dir, '.wicker', 'runs', run, 'ledger.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
const ends = (dir: string, run: string) => ledger(dir, run).filter((e) => e.event === 'end')

describe('launch with the built-in agent', () => {
  it('writes every packet into staging, atomically and under its own name, and the ledger records each attempt', async () => {
    const p = await prepared()
    const run = await wickerIn(['launch', p.dir, ...FAST])
    expect(run.code).toBe(0)
    expect(run.json.result).toMatchObject({run: p.run, agent: 'builtin', packets: {total: p.packets, ok: p.packets, failed: 0, skipped: 0}, attempts: p.packets, failures: []})
    const staged = readdirSync(join(p.dir, 'phase5_baskets_staging'))
    expect(staged.every((n) => new RegExp(`^${p.run}__p[0-9a-f]{15}__1\\.json$`).test(n))).toBe(true)
    expect(staged).toHaveLength(p.packets)
    expect(ends(p.dir, p.run).map((e) => e.class)).toEqual(new Array(p.packets).fill('ok'))
    expect(ledger(p.dir, p.run)[0]).toMatchObject({event: 'start', attempt: 1, pid: expect.any(Number)})
    // extract reads every LEGO back; a second launch has nothing to do
    expect((await wickerIn(['extract', p.dir, '--json'])).json.result.candidates).toBe(p.legos)
    const again = await wickerIn(['launch', p.dir, ...FAST])
    expect(again.json.result.packets).toMatchObject({ok: 0, skipped: p.packets})
    expect(readdirSync(join(p.dir, 'phase5_baskets_staging'))).toEqual(staged)
  })

  it('retries a crash and succeeds; gives up after --retries on a packet that keeps failing', async () => {
    const p = await prepared()
    const once = await wickerIn(['launch', p.dir, ...FAST, '--retries', '1'], {env: {WICKER_BUILTIN_FAIL: 'crash', WICKER_BUILTIN_FAIL_UNTIL: '1'}})
    expect(once.code).toBe(0)
    expect(once.json.result.attempts).toBe(2 * p.packets)
    expect(ends(p.dir, p.run).map((e) => e.class).sort()).toEqual([...new Array(p.packets).fill('crash'), ...new Array(p.packets).fill('ok')].sort())

    const q = await prepared({seed: 14})
    const always = await wickerIn(['launch', q.dir, ...FAST, '--retries', '2', '--halt', 'never'], {env: {WICKER_BUILTIN_FAIL: 'crash'}})
    expect(always.code).toBe(1)
    expect(always.json.result.attempts).toBe(3 * q.packets)
    expect(always.json.result.failures[0]).toMatchObject({class: 'crash', message: expect.stringContaining('crashed on purpose')})
  })

  it('classifies garbage as invalid-output, a silent hang as timeout, and a slow answer as ok', async () => {
    const p = await prepared()
    const garbage = await wickerIn(['launch', p.dir, ...FAST, '--retries', '0', '--halt', 'never', '--only', '1'], {env: {WICKER_BUILTIN_FAIL: 'garbage'}})
    expect(garbage.json.result.failures).toEqual([expect.objectContaining({index: 1, class: 'invalid-output'})])
    const hang = await wickerIn(['launch', p.dir, ...FAST, '--retries', '0', '--halt', 'never', '--only', '2', '--idle-timeout', '1s'], {env: {WICKER_BUILTIN_FAIL: 'silent-hang'}})
    expect(hang.json.result.failures).toEqual([expect.objectContaining({index: 2, class: 'timeout', message: expect.stringContaining('no output')})])
    const slow = await wickerIn(['launch', p.dir, ...FAST, '--only', '3', '--idle-timeout', '5s'], {env: {WICKER_BUILTIN_DELAY_MS: '1500'}})
    expect(slow.json.result.packets.ok).toBe(1)
    expect(ends(p.dir, p.run).find((e) => e.class === 'ok').durationMs).toBeGreaterThanOrEqual(1500)
  })

  it('--retry-failed runs only the failed packets; --only picks packets by number', async () => {
    const p = await prepared({seeds: 12, packetSize: 6})
    const first = await wickerIn(['launch', p.dir, ...FAST, '--retries', '0', '--halt', 'never'], {env: {WICKER_BUILTIN_FAIL: 'crash', WICKER_BUILTIN_FAIL_RATE: '0.5'}})
    const failed = first.json.result.failures.map((f: {packet: string}) => f.packet).sort()
    expect(failed.length).toBeGreaterThan(0)
    expect(failed.length).toBeLessThan(p.packets)
    const retry = await wickerIn(['launch', p.dir, ...FAST, '--retry-failed'])
    expect(retry.code).toBe(0)
    const second = ends(p.dir, p.run).slice(first.json.result.attempts)
    expect(second.map((e) => e.packet).sort()).toEqual(failed)
    expect(second.every((e) => e.attempt === 2 && e.class === 'ok')).toBe(true)
  })

  it('runs many agents at once without a Node warning on stderr (it would tear the live view)', async () => {
    const p = await prepared({seeds: 16, packetSize: 1, seed: 19})
    expect(p.packets).toBeGreaterThanOrEqual(12)
    const run = await wickerIn(['launch', p.dir, ...FAST, '--concurrency', '16'], {env: {WICKER_BUILTIN_DELAY_MS: '400'}})
    expect(run.code).toBe(0)
    expect(run.json.result.packets.ok).toBe(p.packets)
    expect(run.stderr).not.toMatch(/Warning|\(node:\d+\)/)
  })

  it('halts once the share of failed packets reaches --halt', async () => {
    const p = await prepared({seeds: 30, packetSize: 4})
    const run = await wickerIn(['launch', p.dir, ...FAST, '--retries', '0', '--concurrency', '1', '--halt', '50%'], {env: {WICKER_BUILTIN_FAIL: 'crash'}})
    expect(run.code).toBe(1)
    expect(run.json.result.halted).toMatch(/4 of 4 finished packets failed/)
    expect(run.json.result.attempts).toBe(4)
    expect(p.packets).toBeGreaterThan(4)
  })
})

describe('launch with (fake) claude, codex and gemini', () => {
  const {bin, state} = fakeAgents()
  const env = (mode: string, extra: Record<string, string> = {}) => ({PATH: `${bin}:${process.env.PATH}`, FAKE_MODE: mode, FAKE_STATE: state, ...extra})

  it('claude: the JSON comes from the result text, with cost and tokens, and claude runs headless with stdin', async () => {
    const p = await prepared()
    const record = join(tempDir(), 'calls.ndjson')
    const run = await wickerIn(['launch', p.dir, '--agent', 'claude', ...FAST], {env: env('ok', {FAKE_RECORD: record})})
    expect(run.code).toBe(0)
    expect(run.json.result.costUsd).toBeCloseTo(0.0125 * p.packets)
    expect(ends(p.dir, p.run)[0]).toMatchObject({class: 'ok', costUsd: 0.0125, tokens: {input: 1200, output: 800}})
    const argv = JSON.parse(readFileSync(record, 'utf8').split('\n')[0]!).argv
    expect(argv.slice(0, 4)).toEqual(['-p', '--output-format', 'stream-json', '--verbose'])
    expect(argv).toContain('--max-turns')
  })

  it('claude: exit 0 with an error result is a crash, and is retried', async () => {
    const p = await prepared()
    const run = await wickerIn(['launch', p.dir, '--agent', 'claude', ...FAST, '--retries', '1', '--halt', 'never'], {env: env('error-result')})
    expect(run.code).toBe(1)
    expect(run.json.result.attempts).toBe(2 * p.packets)
    expect(run.json.result.failures[0]).toMatchObject({class: 'crash', message: expect.stringContaining('API Error: 500')})
  })

  it('claude: a rate limit with a reset time pauses, waits for the reset, and the packet then succeeds', async () => {
    const p = await prepared()
    const started = Date.now()
    const run = await wickerIn(['launch', p.dir, '--agent', 'claude', ...FAST, '--retries', '0'], {env: env('ratelimit-once', {FAKE_STATE: tempDir()})})
    expect(run.code).toBe(0)
    expect(run.json.result.packets.ok).toBe(p.packets)
    const classes = ends(p.dir, p.run).map((e) => e.class)
    expect(classes.filter((c) => c === 'rate-limited')).toHaveLength(p.packets)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(run.stderr).not.toMatch(/Warning/)
    const pause = run.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((e) => e.type === 'pause')
    expect(pause).toMatchObject({agent: 'claude', untilMs: 1000})
  })

  it('claude: stream-json events and an output file the agent wrote; an allowed_warning rate-limit event changes nothing', async () => {
    const p = await prepared()
    const run = await wickerIn(['launch', p.dir, '--agent', 'claude', '--agent-bin', join(bin, 'claude'), ...FAST, '--only', '1'], {env: {FAKE_MODE: 'write', FAKE_STATE: state}})
    expect(run.code).toBe(0)
    expect(run.json.result.packets.ok).toBe(1)
    expect(ends(p.dir, p.run)[0]).toMatchObject({class: 'ok', costUsd: 0.02, tokens: {input: 1200, output: 500}})
  })

  it('claude: a rejected rate-limit event pauses the launch until its resetsAt (not the reset its words name), then the packet is done', async () => {
    const p = await prepared()
    const fresh = tempDir()
    const run = await wickerIn(['launch', p.dir, '--agent', 'claude', '--agent-bin', join(bin, 'claude'), ...FAST, '--only', '1', '--retries', '0'], {env: {FAKE_MODE: 'rejected-once', FAKE_STATE: fresh}})
    expect(run.code).toBe(0)
    expect(run.json.result.packets).toMatchObject({ok: 1, failed: 0})
    const resetAt = Number(readFileSync(join(fresh, readdirSync(fresh).find((n) => n.endsWith('.reset'))!), 'utf8')) * 1000
    const entries = ledger(p.dir, p.run)
    expect(entries.filter((e) => e.event === 'end').map((e) => e.class)).toEqual(['rate-limited', 'ok'])
    const limited = entries.find((e) => e.event === 'end' && e.class === 'rate-limited')
    const second = entries.find((e) => e.event === 'start' && e.attempt === 2)
    // the second attempt started once the reset came, and not 40 s later (the words' reset)
    expect(Date.parse(second.at)).toBeGreaterThanOrEqual(resetAt)
    expect(Date.parse(second.at) - resetAt).toBeLessThan(1500)
    expect(Date.parse(limited.end)).toBeLessThan(resetAt)
    const pause = run.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((e) => e.type === 'pause')
    expect(pause.untilMs).toBeLessThanOrEqual(2000 + 1000)
  })

  it('claude: one that prints its events and then hangs is still stopped by --idle-timeout', async () => {
    const p = await prepared()
    const started = Date.now()
    const run = await wickerIn(['launch', p.dir, '--agent', 'claude', '--agent-bin', join(bin, 'claude'), ...FAST, '--only', '1', '--retries', '0', '--halt', 'never', '--idle-timeout', '1s'], {env: {FAKE_MODE: 'stream-hang', FAKE_STATE: state}})
    expect(run.code).toBe(1)
    expect(run.json.result.failures[0]).toMatchObject({class: 'timeout', message: expect.stringContaining('no output')})
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('claude: garbage is invalid-output; a hang is a timeout; bad credentials stop the run without retries', async () => {
    const p = await prepared()
    expect((await wickerIn(['launch', p.dir, '--agent', 'claude', ...FAST, '--retries', '0', '--only', '1', '--halt', 'never'], {env: env('garbage')})).json.result.failures[0].class).toBe('invalid-output')
    expect((await wickerIn(['launch', p.dir, '--agent', 'claude', ...FAST, '--retries', '0', '--only', '2', '--halt', 'never', '--idle-timeout', '1s'], {env: env('hang')})).json.result.failures[0].class).toBe('timeout')
    const auth = await wickerIn(['launch', p.dir, '--agent', 'claude', ...FAST, '--retries', '3', '--concurrency', '1'], {env: env('auth')})
    expect(auth.code).toBe(1)
    expect(auth.json.result.failures).toEqual([expect.objectContaining({class: 'auth'})])
    expect(auth.json.result.halted).toMatch(/auth/)
  })

  it('codex: JSONL events; turn.failed with exit 0 is a crash; a usage limit is rate-limited', async () => {
    const p = await prepared()
    const ok = await wickerIn(['launch', p.dir, '--agent', 'codex', ...FAST, '--only', '1'], {env: env('ok')})
    expect(ok.json.result.packets.ok).toBe(1)
    expect(ends(p.dir, p.run)[0]).toMatchObject({class: 'ok', tokens: {input: 1000, output: 700}})
    expect((await wickerIn(['launch', p.dir, '--agent', 'codex', ...FAST, '--only', '2', '--retries', '0', '--halt', 'never'], {env: env('turn-failed')})).json.result.failures[0]).toMatchObject({class: 'crash', message: expect.stringContaining('stream disconnected')})
    const limited = ends(p.dir, p.run).length
    // it would pause and try again up to 10 times: once the first attempt is classified, Ctrl-C
    const child = spawn(process.execPath, [BIN, 'launch', p.dir, '--agent', 'codex', ...FAST, '--only', '3', '--halt', 'never', '--timeout', '20s'], {env: {...process.env, ...env('usage-limit')}, stdio: 'ignore'})
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
    expect(await waitFor(() => {
      try {
        return ends(p.dir, p.run).length > limited
      } catch {
        return false // a line being written
      }
    }, 20_000)).toBe(true)
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(ends(p.dir, p.run)[limited]).toMatchObject({class: 'rate-limited', message: expect.stringContaining('usage limit')})
  })

  it('gemini: the response field holds the JSON; exit 42 is an input error (auth class), never retried', async () => {
    const p = await prepared()
    expect((await wickerIn(['launch', p.dir, '--agent', 'gemini', ...FAST, '--only', '1'], {env: env('ok')})).json.result.packets.ok).toBe(1)
    const bad = await wickerIn(['launch', p.dir, '--agent', 'gemini', ...FAST, '--only', '2', '--retries', '3'], {env: env('bad-input')})
    expect(bad.json.result.failures[0].class).toBe('auth')
    expect(bad.json.result.attempts).toBe(1)
  })

  it('says clearly when the agent CLI is not installed: a usage error before any packet starts', async () => {
    const p = await prepared()
    const run = await wickerIn(['launch', p.dir, '--agent', 'claude', '--agent-bin', '/nonexistent/claude', ...FAST, '--only', '1'])
    expect(run.code).toBe(2)
    expect(run.json).toMatchObject({name: 'E_AGENT_NOT_FOUND', message: expect.stringContaining('/nonexistent/claude')})
  })
})

describe('launch --sessions orchestrator (a fake claude orchestrator)', () => {
  const {bin} = fakeAgents()
  const claude = join(bin, 'claude')

  it('a session that writes only some of its packets\' outputs: those are done, the others retried together in a smaller session, then failed', async () => {
    const p = await prepared({seeds: 24, packetSize: 4})
    expect(p.packets).toBeGreaterThanOrEqual(4)
    const record = join(tempDir(), 'sessions.ndjson')
    const run = await wickerIn(['launch', p.dir, '--agent', 'claude', '--agent-bin', claude, ...FAST, '--sessions', 'orchestrator', '--group-size', '4', '--only', '1-4', '--retries', '1', '--halt', 'never'], {env: {FAKE_MODE: 'orchestrate', FAKE_STATE: tempDir(), FAKE_RECORD: record}})
    expect(run.code).toBe(1)
    expect(run.json.result.packets).toMatchObject({total: 4, ok: 3, failed: 1})
    const sessions = readFileSync(record, 'utf8').split('\n').filter((l) => l.includes('"session"')).map((l) => JSON.parse(l))
    const ids = sessions[0].packets as string[]
    expect(ids).toHaveLength(4)
    // the packets the first session left without an output went again, together, and only they
    expect(sessions.map((x) => x.packets)).toEqual([ids, [ids[1], ids[3]]])
    const entries = ledger(p.dir, p.run)
    expect(entries.filter((e) => e.event === 'end').map((e) => [ids.indexOf(e.packet) + 1, e.attempt, e.class])).toEqual([
      [1, 1, 'ok'], [2, 1, 'invalid-output'], [3, 1, 'ok'], [4, 1, 'invalid-output'],
      [2, 2, 'ok'], [4, 2, 'invalid-output'],
    ])
    // each packet's start names its session, shared by the group and by one process
    const firstStarts = entries.filter((e) => e.event === 'start' && e.attempt === 1)
    expect(new Set(firstStarts.map((e) => e.session)).size).toBe(1)
    expect(new Set(firstStarts.map((e) => e.pid)).size).toBe(1)
    expect(run.json.result.failures).toEqual([expect.objectContaining({packet: ids[3], class: 'invalid-output', message: expect.stringContaining('without a valid output')})])
    // staged: exactly the outputs that were in the packets' files
    expect(readdirSync(join(p.dir, 'phase5_baskets_staging')).sort()).toEqual([`${p.run}__${ids[0]}__1.json`, `${p.run}__${ids[1]}__2.json`, `${p.run}__${ids[2]}__1.json`].sort())
    // the session's cost is shared out over its packets: the sum is what it reported
    expect(run.json.result.costUsd).toBeCloseTo(0.08)
  })

  it('Ctrl-C during a hanging orchestrator session stops the session and the worker it started; every packet of it is interrupted', async () => {
    const p = await prepared()
    const state = tempDir()
    const child = spawn(process.execPath, [BIN, 'launch', p.dir, '--agent', 'claude', '--agent-bin', claude, '--sessions', 'orchestrator', '--stagger', '0s', '--grace', '300ms', '--json'], {env: {...process.env, FAKE_MODE: 'orchestrate-hang', FAKE_STATE: state}, stdio: 'ignore'})
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
    expect(await waitFor(() => existsSync(join(state, 'pids')), 20_000)).toBe(true)
    const pids = JSON.parse(readFileSync(join(state, 'pids'), 'utf8')) as number[]
    expect(pids.every(alive)).toBe(true)
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(await waitFor(() => pids.every((pid) => !alive(pid)), 2000)).toBe(true)
    const entries = ledger(p.dir, p.run)
    const started = entries.filter((e) => e.event === 'start').map((e) => e.packet).sort()
    expect(started).toHaveLength(p.packets)
    expect(entries.filter((e) => e.event === 'interrupted').map((e) => e.packet).sort()).toEqual(started)
  })

  it('refuses an agent that cannot start workers of its own, and --group-size without orchestrator sessions', async () => {
    const p = await prepared()
    expect((await wickerIn(['launch', p.dir, ...FAST, '--sessions', 'orchestrator'])).json).toMatchObject({status: 2, name: 'E_SESSIONS'})
    expect((await wickerIn(['launch', p.dir, ...FAST, '--group-size', '3'])).json).toMatchObject({status: 2, name: 'E_SESSIONS'})
    expect((await wickerIn(['launch', p.dir, '--agent', 'claude', '--agent-bin', claude, ...FAST, '--sessions', 'orchestrator', '--group-size', '0'])).code).toBe(2)
  })
})

describe('course text reaches agents unchanged and runs nothing', () => {
  it('quotes, $(…), backticks and newlines go through the prompt on stdin as they are', async () => {
    const nasty = 'say "hi" $(touch PWNED) `touch PWNED2` \'q\' ; rm -rf / \\n'
    const seeds = [1, 2, 3].map((n) => ({
      seed_id: `S000${n}`,
      seed_pair: {known: `k${n} ${nasty}`, target: `t${n} ${nasty}\nline two`},
      legos: [{id: `S000${n}L01`, type: 'A', new: true, lego: {known: `k${n} ${nasty}`, target: `t${n} $(whoami) \`id\` "x"\nline two`}}],
    }))
    const dir = writeTree(`${tempDir()}/qtl_for_qkn`, {'lego_pairs.json': {seeds}})
    const prep = await wickerIn(['prepare-segments', dir, '--json'])
    expect(prep.code).toBe(0)
    const run = prep.json.result.run
    const capture = tempDir()
    const agent = join(capture, 'agent.mjs')
    writeFileSync(agent, `import {readFileSync, writeFileSync} from 'node:fs'\nwriteFileSync(${JSON.stringify(join(capture, 'stdin.txt'))}, readFileSync(0, 'utf8'))\nwriteFileSync(${JSON.stringify(join(capture, 'argv.json'))}, JSON.stringify(process.argv.slice(2)))\n`)
    const launched = await wickerIn(['launch', dir, '--agent', 'command', '--agent-cmd', JSON.stringify([process.execPath, agent, '{prompt_file}', '$(touch PWNED3)']), ...FAST, '--retries', '0', '--halt', 'never'], {cwd: capture})
    expect(launched.json.result.failures[0].class).toBe('invalid-output')
    const prompt = readFileSync(join(dir, '.wicker', 'runs', run, 'prompts', `${prep.json.result.segments[0].packets[0].id}.md`), 'utf8')
    // course text is quoted in prompts (it cannot start a line of its own), and otherwise as it is
    expect(prompt).toContain(JSON.stringify('t1 $(whoami) `id` "x"\nline two'))
    expect(prompt).toContain(JSON.stringify(`k1 ${nasty}`))
    expect(readFileSync(join(capture, 'stdin.txt'), 'utf8')).toBe(prompt)
    expect(JSON.parse(readFileSync(join(capture, 'argv.json'), 'utf8'))[1]).toBe('$(touch PWNED3)')
    for (const where of [capture, dir, join(dir, '.wicker', 'runs', run, 'work')]) for (const f of ['PWNED', 'PWNED2', 'PWNED3']) expect(existsSync(join(where, f))).toBe(false)
  })
})
