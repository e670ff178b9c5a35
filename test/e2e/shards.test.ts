import {spawn} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {BIN, wickerAsync} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {canonBytes, copyCourse} from '../helpers/flow.js'
import {tempDir} from '../helpers/fs.js'
import {alive, until} from '../helpers/procs.js'

const BUILTIN = fileURLToPath(new URL('../../dist/agent/builtin.js', import.meta.url))
const FAST = ['--stagger', '0s', '--backoff', '100ms', '--grace', '300ms']

/** The built-in agent, except that the second packet it is given hangs for ever (its pid in `pids`). */
function hangOnSecond(dir: string): string {
  const script = join(dir, 'hang-on-second.mjs')
  writeFileSync(
    script,
    `import {spawnSync} from 'node:child_process'
import {appendFileSync, readFileSync, writeFileSync, existsSync} from 'node:fs'
const counter = ${JSON.stringify(join(dir, 'calls'))}
const n = (existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0) + 1
writeFileSync(counter, String(n))
if (n === 2) {
  appendFileSync(${JSON.stringify(join(dir, 'pids'))}, process.pid + '\\n')
  setInterval(() => {}, 1000)
} else {
  const r = spawnSync(process.execPath, [${JSON.stringify(BUILTIN)}], {stdio: 'inherit'})
  process.exit(r.status ?? 1)
}
`,
  )
  return script
}

const ledger = (dir: string, run: string, slug: string) => join(dir, '.wicker', 'runs', run, 'shards', slug, 'ledger.ndjson')
const entries = (file: string) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as {event: string; packet: string; attempt: number; shard?: string; class?: string; pid: number | null})
const files = (dir: string) => Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))

describe('a run in three shards, gathered back', () => {
  it('gives the canon of one unsharded run, and a killed shard run again resumes only its own packets', async () => {
    const dir = writeCourse(tempDir(), generateCourse({seeds: 15, seed: 41, canon: {fill: 0.2}}))
    const whole = copyCourse(dir)
    const startBaskets = Object.keys(JSON.parse(canonBytes(dir)!.toString('utf8')).baskets).length
    const work = tempDir('wicker-shards-')
    const out = (i: number) => join(work, `shard-${i}`)

    // the reference: the same prepared run, launched on one machine
    const single = await wickerIn(['prepare-segments', whole, '--run', 'r1', '--packet-size', '4', '--json'])
    expect(single.code).toBe(0)
    expect((await wickerIn(['launch', whole, '--run', 'r1', ...FAST, '-j', '2'])).code).toBe(0)
    expect((await wickerIn(['merge', whole, '--yes'])).code).toBe(0)

    const prep = await wickerIn(['prepare-segments', dir, '--run', 'r1', '--packet-size', '4', '--shards', '3', '--json'])
    expect(prep.code).toBe(0)
    const layout: Array<{shard: number; indexes: number[]}> = prep.json.result.shards
    expect(layout.map((s) => s.shard)).toEqual([1, 2, 3])
    const plan = JSON.parse(readFileSync(join(dir, '.wicker', 'runs', 'r1', 'plan.json'), 'utf8'))
    expect(plan.shards).toBe(3)
    // sharding changes no packet: the same run as the reference's
    expect(plan.packets.map((p: {id: string}) => p.id)).toEqual(single.json.result.segments.flatMap((s: {packets: Array<{id: string}>}) => s.packets.map((p) => p.id)))
    const idOf = new Map<number, string>(plan.packets.map((p: {index: number; id: string}) => [p.index, p.id]))
    const packetsOf = (i: number) => new Set(layout[i - 1]!.indexes.map((n) => idOf.get(n)!))
    expect(packetsOf(2).size).toBeGreaterThanOrEqual(3)

    // shards 1 and 3 at the same time, on the same course folder, each into its own staging folder
    const [one, three] = await Promise.all([1, 3].map((i) => wickerAsync(['launch', dir, '--run', 'r1', '--shard', `${i}/3`, '--staging', out(i), ...FAST, '-j', '2', '--json'])))
    expect(one!.code, one!.stderr).toBe(0)
    expect(three!.code, three!.stderr).toBe(0)
    expect(one!.json.result.shard).toBe('1/3')
    for (const [i, run] of [[1, one!], [3, three!]] as const) {
      expect(run.json.result.packets.ok).toBe(packetsOf(i).size)
      for (const f of readdirSync(out(i))) expect(f).toMatch(new RegExp(`^r1__p[0-9a-f]{15}__1__shard-${i}-of-3\\.json$`))
      expect(new Set(readdirSync(out(i)).map((f) => f.split('__')[1]))).toEqual(packetsOf(i))
      expect(entries(ledger(dir, 'r1', `${i}-of-3`)).every((e) => e.shard === `${i}/3` && packetsOf(i).has(e.packet))).toBe(true)
    }

    // shard 2 is killed (SIGKILL: no clean-up) while its second packet's agent hangs
    const hang = hangOnSecond(work)
    const child = spawn(process.execPath, [BIN, 'launch', dir, '--run', 'r1', '--shard', '2/3', '--staging', out(2), ...FAST, '-j', '1', '--agent', 'command', '--agent-cmd', JSON.stringify([process.execPath, hang]), '--json'], {stdio: 'ignore'})
    await until(() => existsSync(join(work, 'pids')), 20_000)
    const hung = Number(readFileSync(join(work, 'pids'), 'utf8').trim())
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    // the kill landed mid-run: one packet staged, one attempt started and never ended, the rest never started
    const before = entries(ledger(dir, 'r1', '2-of-3'))
    expect(before.filter((e) => e.event === 'end' && e.class === 'ok')).toHaveLength(1)
    const open = before.filter((e) => e.event === 'start' && !before.some((x) => x.event !== 'start' && x.packet === e.packet && x.attempt === e.attempt))
    expect(open).toHaveLength(1)
    expect(open[0]!.packet).not.toBe(before.find((e) => e.event === 'end')!.packet)
    // the hung agent does not outlive its killed launcher (launch's watchdog stops its tree)
    await until(() => !alive(hung), 10_000)
    expect(readdirSync(out(2))).toHaveLength(1)

    // what was gathered so far is not complete, and says which shard owes what
    expect((await wickerIn(['collect', dir, '--from', out(1), '--from', out(2), '--from', out(3)])).code).toBe(0)
    const partial = await wickerIn(['status', dir, '--run', 'r1', '--require-complete', '--json'])
    expect(partial.code).toBe(1)
    expect(partial.json.result.run.missing.length).toBe(packetsOf(2).size - 1)
    expect(partial.json.result.run.missing.every((m: {shard: string; packet: string}) => m.shard === '2/3' && packetsOf(2).has(m.packet))).toBe(true)
    expect(partial.json.result.run.perShard.map((s: {missing: number}) => s.missing)).toEqual([0, packetsOf(2).size - 1, 0])

    // shard 2 again: it closes the attempt the killed launch left, and runs only its own packets not done
    const others = [files(out(1)), files(out(3)), readFileSync(ledger(dir, 'r1', '1-of-3'), 'utf8'), readFileSync(ledger(dir, 'r1', '3-of-3'), 'utf8')]
    const again = await wickerIn(['launch', dir, '--run', 'r1', '--shard', '2/3', '--staging', out(2), ...FAST, '-j', '2', '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.json.result.packets).toMatchObject({total: packetsOf(2).size, ok: packetsOf(2).size - 1, skipped: 1, failed: 0})
    const after = entries(ledger(dir, 'r1', '2-of-3')).slice(before.length)
    const doneBefore = before.find((e) => e.event === 'end')!.packet
    expect(new Set(after.filter((e) => e.event === 'start').map((e) => e.packet))).toEqual(new Set([...packetsOf(2)].filter((p) => p !== doneBefore)))
    expect(after.some((e) => e.event === 'interrupted' && e.packet === open[0]!.packet)).toBe(true)
    expect([files(out(1)), files(out(3)), readFileSync(ledger(dir, 'r1', '1-of-3'), 'utf8'), readFileSync(ledger(dir, 'r1', '3-of-3'), 'utf8')]).toEqual(others)

    // gathered back: every packet done by exactly one shard, and the canon of the single run
    expect((await wickerIn(['collect', dir, '--from', out(1), '--from', out(2), '--from', out(3)])).code).toBe(0)
    const status = await wickerIn(['status', dir, '--run', 'r1', '--require-complete', '--json'])
    expect(status.code, status.stdout).toBe(0)
    expect(status.json.result.run).toMatchObject({shards: 3, complete: true, missing: [], duplicates: []})
    expect((await wickerIn(['preview', dir, '--detailed-exitcode'])).code).toBe(6)
    expect((await wickerIn(['merge', dir, '--yes'])).code).toBe(0)
    // byte for byte, but for the two metadata fields that name the merge itself (its time and transaction id)
    const merged = (d: string) => canonBytes(d)!.toString('utf8').replace(/"last_merge": "[^"]+"/, '"last_merge": "…"').replace(/"last_transaction": "[^"]+"/, '"last_transaction": "…"')
    expect(merged(dir)).toContain('"last_merge": "…"')
    expect(merged(dir) === merged(whole)).toBe(true)
    expect(Object.keys(JSON.parse(merged(dir)).baskets).length).toBe(startBaskets + prep.json.result.totals.legos)
  })

  it('refuses a shard count other than the one the run was laid out in, and a --shard that is not one', async () => {
    const dir = writeCourse(tempDir(), generateCourse({seeds: 8, seed: 42, canon: {fill: 0}}))
    expect((await wickerIn(['prepare-segments', dir, '--run', 'r2', '--shards', '2'])).code).toBe(0)
    const other = await wickerIn(['launch', dir, '--run', 'r2', '--shard', '1/3'])
    expect(other.code).toBe(2)
    expect(other.stderr).toContain('laid out in 2 shard(s)')
    expect(other.stderr).toContain('--shard I/2')
    for (const bad of ['3/2', '0/2', 'two']) {
      const r = await wickerIn(['launch', dir, '--run', 'r2', '--shard', bad])
      expect(r.code, bad).toBe(2)
      expect(r.stderr).toContain('is not a shard')
      expect(r.stderr).not.toMatch(/^\s+at /m)
    }
    expect(existsSync(join(dir, '.wicker', 'runs', 'r2', 'shards'))).toBe(false)

    // a packet done twice (by shard 1 and by a launch of the whole run) is no proof of a clean gathering
    const work = tempDir('wicker-shards-')
    expect((await wickerIn(['launch', dir, '--run', 'r2', '--shard', '1/2', '--staging', join(work, 'a'), ...FAST])).code).toBe(0)
    expect((await wickerIn(['launch', dir, '--run', 'r2', '--staging', join(work, 'b'), ...FAST])).code).toBe(0)
    // collect skips content already there (the built-in agent wrote the same bytes twice): copied by hand
    expect((await wickerIn(['collect', dir, '--from', join(work, 'a')])).code).toBe(0)
    cpSync(join(work, 'b'), join(dir, 'phase5_baskets_staging'), {recursive: true})
    const twice = await wickerIn(['status', dir, '--run', 'r2', '--require-complete', '--json'])
    expect(twice.code).toBe(1)
    expect(twice.json.result.run.missing).toEqual([])
    expect(twice.json.result.run.duplicates.length).toBe(readdirSync(join(work, 'a')).length)
    for (const d of twice.json.result.run.duplicates) expect(d.shards).toEqual(['1/2', 'unsharded'])
    const human = await wickerIn(['status', dir, '--run', 'r2', '--require-complete'])
    expect(human.code).toBe(1)
    expect(human.stdout).toContain('done twice')
  })
  it('never lets launchers split one run two ways at once, keeps the split when prepared again, and follows no planted shard folder', async () => {
    const dir = writeCourse(tempDir(), generateCourse({seeds: 10, seed: 44, canon: {fill: 0}}))
    expect((await wickerIn(['prepare-segments', dir, '--run', 'r3', '--packet-size', '3'])).code).toBe(0)
    const work = tempDir('wicker-shards-')
    // shard 1 of 2 holds its lock while its agent hangs
    const hanging = spawn(process.execPath, [BIN, 'launch', dir, '--run', 'r3', '--shard', '1/2', '--staging', join(work, 'a'), ...FAST, '-j', '1'], {stdio: 'ignore', env: {...process.env, WICKER_BUILTIN_FAIL: 'hang'}})
    try {
      await until(() => existsSync(ledger(dir, 'r3', '1-of-2')) && entries(ledger(dir, 'r3', '1-of-2')).some((e) => e.event === 'start'), 20_000)
      // the whole run, or shards of another count, would start shard 1's packets too: refused, nothing started
      for (const split of [[], ['--shard', '1/3'], ['--shard', '3/3']]) {
        const r = await wickerIn(['launch', dir, '--run', 'r3', ...split, '--staging', join(work, 'b'), ...FAST, '--json'])
        expect(r.code, split.join(' ')).toBe(3)
        expect(r.json.name).toBe('E_RUN_SPLIT')
        expect(r.json.message).toContain('shard 1/2')
      }
      expect(existsSync(join(dir, '.wicker', 'runs', 'r3', 'ledger.ndjson'))).toBe(false)
      expect(existsSync(ledger(dir, 'r3', '1-of-3'))).toBe(false)
      expect(existsSync(join(work, 'b'))).toBe(false)
      // the other shard of the same split runs beside it
      const two = await wickerIn(['launch', dir, '--run', 'r3', '--shard', '2/2', '--staging', join(work, 'c'), ...FAST, '--json'])
      expect(two.code, two.stderr).toBe(0)
      expect(two.json.result.packets.ok).toBeGreaterThan(0)
    } finally {
      hanging.kill('SIGTERM')
      await new Promise((resolve) => hanging.once('exit', resolve))
    }

    // laid out in 2, prepared again without --shards: still laid out in 2
    expect((await wickerIn(['prepare-segments', dir, '--run', 'r4', '--packet-size', '3', '--shards', '2'])).code).toBe(0)
    const again = await wickerIn(['prepare-segments', dir, '--run', 'r4', '--packet-size', '3', '--json'])
    expect(again.code).toBe(0)
    expect(again.json.result.shards).toHaveLength(2)
    expect(JSON.parse(readFileSync(join(dir, '.wicker', 'runs', 'r4', 'plan.json'), 'utf8')).shards).toBe(2)
    expect((await wickerIn(['launch', dir, '--run', 'r4', '--shard', '1/3', '--dry-run'])).code).toBe(2)

    // a shard folder planted as a symlink to a folder outside the course is never read through
    const outside = tempDir('wicker-outside-')
    writeFileSync(join(outside, 'ledger.ndjson'), 'not a ledger line\n')
    mkdirSync(join(dir, '.wicker', 'runs', 'r4', 'shards'), {recursive: true})
    symlinkSync(outside, join(dir, '.wicker', 'runs', 'r4', 'shards', '1-of-2'))
    const status = await wickerIn(['status', dir, '--run', 'r4', '--json'])
    expect(status.code).toBe(0)
    expect(status.json.warnings.join('\n')).toContain('1-of-2 is a symbolic link: not followed')
    expect(status.json.warnings.join('\n')).not.toContain('not a ledger entry')
    expect(status.json.result.run.perShard[0].attempts).toBeNull()
    // and a launch of that shard refuses to write through it
    const planted = await wickerIn(['launch', dir, '--run', 'r4', '--shard', '1/2', ...FAST])
    expect(planted.code).toBe(2)
    expect(planted.stderr).toContain('symlink')
    expect(readdirSync(outside)).toEqual(['ledger.ndjson'])
  })
})
