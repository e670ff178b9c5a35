import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {BIN} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'
import {alive, waitFor} from '../helpers/procs.js'

const ledger = (dir: string, run: string) =>
  readFileSync(join(dir, '.wicker', 'runs', run, 'ledger.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGKILL', null],
] as const)('killing launch with %s mid-run', (signal, code) => {
  it(`${signal === 'SIGKILL' ? 'its agents stop, and finished outputs are salvaged' : 'stops every agent (checked by pid)'}, and the next launch redoes exactly the unfinished packets`, async () => {
    // 12 seeds: 9 packets, enough for 2 done, 2 running and some never started when the signal lands
    const synth = generateCourse({seeds: 12, seed: 17, canon: {fill: 0.4}})
    const dir = writeCourse(tempDir(), synth)
    // the prepare and the resume in process: only the killed launch needs a process of its own
    const prep = await wickerIn(['prepare-segments', dir, '--packet-size', '4', '--json'])
    const run = prep.json.result.run as string
    const total = prep.json.result.totals.packets as number
    // slow agents, two at a time: some packets finish, some are running, some never start
    const child = spawn(process.execPath, [BIN, 'launch', dir, '--stagger', '0s', '--concurrency', '2', '--grace', '500ms', '--json'], {env: {...process.env, WICKER_BUILTIN_DELAY_MS: '700'}, stdio: 'ignore'})
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
    const file = join(dir, '.wicker', 'runs', run, 'ledger.ndjson')
    expect(await waitFor(() => {
      try {
        const l = ledger(dir, run)
        return l.filter((e) => e.event === 'end').length >= 2 && l.filter((e) => e.event === 'start').length >= 4
      } catch {
        return false
      }
    }, 20_000)).toBe(true)
    child.kill(signal)
    const exitCode = await exited
    if (code !== null) expect(exitCode).toBe(code)

    const first = ledger(dir, run)
    const pids = first.filter((e) => e.event === 'start').map((e) => e.pid as number)
    // SIGINT/SIGTERM: launch itself stopped them before exiting. SIGKILL: the watchdog, or the built-in
    // agent's own parent check, whichever is first; launch-misbehave.test.ts proves the watchdog alone
    // with agents that have no such check
    expect(await waitFor(() => pids.every((pid) => !alive(pid)), signal === 'SIGKILL' ? 3000 : 200)).toBe(true)
    const okBefore = new Set(first.filter((e) => e.event === 'end' && e.class === 'ok').map((e) => e.packet))
    expect(okBefore.size).toBeGreaterThan(0)
    expect(okBefore.size).toBeLessThan(total)
    void file

    const resumed = await wickerIn(['launch', dir, '--stagger', '0s', '--json'])
    expect(resumed.code).toBe(0)
    const after = ledger(dir, run).slice(first.length)
    const redone = new Set(after.filter((e) => e.event === 'end').map((e) => e.packet))
    // an output an agent had finished when launch was SIGKILLed is staged by the next launch, not redone
    const salvaged = new Set(after.filter((e) => e.event === 'interrupted' && e.staged).map((e) => e.packet))
    const leftRunning = new Set(first.filter((e) => e.event === 'start' && !first.some((x) => x.event !== 'start' && x.packet === e.packet && x.attempt === e.attempt)).map((e) => e.packet))
    for (const packet of salvaged) expect(leftRunning.has(packet)).toBe(true)
    if (signal !== 'SIGKILL') expect(salvaged.size).toBe(0)
    const plan = JSON.parse(readFileSync(join(dir, '.wicker', 'runs', run, 'plan.json'), 'utf8'))
    const unfinished = plan.packets.map((p: {id: string}) => p.id).filter((id: string) => !okBefore.has(id) && !salvaged.has(id))
    expect([...redone].sort()).toEqual(unfinished.sort())
    expect(resumed.json.result.packets).toMatchObject({ok: unfinished.length, skipped: okBefore.size + salvaged.size, failed: 0})
  }, 60_000)
})
