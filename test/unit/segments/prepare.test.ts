import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../../bench/synth/generate.js'
import {writeCourse} from '../../../bench/synth/write.js'
import {readCanon} from '../../../src/core/canon/read.js'
import {canonBasketHash} from '../../../src/core/preview/plan.js'
import {runPrepare} from '../../../src/core/segments/run.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

function course(seed = 21) {
  const synth = generateCourse({seeds: 40, seed, canon: {fill: 0.3}})
  return {synth, dir: writeCourse(tempDir(), synth)}
}

describe('prepare-segments', () => {
  it('never splits a seed between packets, and covers every missing LEGO once', async () => {
    const {synth, dir} = course()
    const {result} = await runPrepare({course: dir, cwd: dir, packetSize: 5})
    const packets = result.segments.flatMap((s) => s.packets)
    const seeds = packets.flatMap((p) => p.seeds)
    expect(new Set(seeds).size).toBe(seeds.length)
    expect(result.totals.legos).toBe(synth.expected.missing)
    const ids = new Set<string>()
    for (const p of packets) {
      const packet = JSON.parse(readFileSync(join(result.dir, 'packets', `${p.id}.json`), 'utf8'))
      for (const l of packet.legos) ids.add(l.id)
      // each packet holds whole seeds' missing LEGOs
      expect(packet.legos.every((l: {seed: string}) => p.seeds.includes(l.seed))).toBe(true)
    }
    expect(ids.size).toBe(synth.expected.missing)
  })

  it('gives the same packet ids and run for the same input, and changes nothing the second time', async () => {
    const a = course(22)
    const b = course(22)
    const ra = (await runPrepare({course: a.dir, cwd: a.dir})).result
    const rb = (await runPrepare({course: b.dir, cwd: b.dir})).result
    expect(rb.run).toBe(ra.run)
    expect(rb.segments).toEqual(ra.segments)
    const again = (await runPrepare({course: a.dir, cwd: a.dir})).result
    expect(again.unchanged).toBe(true)
  })

  it('splits into segments × orchestrators × agents, and writes an orchestrator prompt per group', async () => {
    const {dir} = course(23)
    const {result} = await runPrepare({course: dir, cwd: dir, segments: 2, orchestrators: 2, agents: 3})
    expect(result.totals.segments).toBe(2)
    expect(result.totals.packets).toBeLessThanOrEqual(12)
    expect(result.totals.packets).toBeGreaterThan(6)
    const prompts = readdirSync(join(result.dir, 'prompts')).filter((n) => n.startsWith('orchestrator-')).sort()
    expect(prompts).toEqual(['orchestrator-s1-o1.md', 'orchestrator-s1-o2.md', 'orchestrator-s2-o1.md', 'orchestrator-s2-o2.md'])
  })

  it('packs the context of DOMAIN.md §5 into each packet and its prompt', async () => {
    const {synth, dir} = course(24)
    const {result} = await runPrepare({course: dir, cwd: dir, packetSize: 6})
    const last = result.segments[0]!.packets.at(-1)!
    const packet = JSON.parse(readFileSync(join(result.dir, 'packets', `${last.id}.json`), 'utf8'))
    expect(packet.previousSentences).toHaveLength(10)
    expect(packet.recentNewLegos).toHaveLength(30)
    const lego = synth.course.legoById.get(packet.legos[0].id)!
    expect(packet.legos[0]).toMatchObject({known: lego.known, target: lego.target, isFinal: lego.isFinal, positionInSeed: lego.indexInSeed + 1})
    // window vocabulary: whole LEGOs of the 10 seeds before and the seed's earlier LEGOs, never a later one
    for (const i of packet.legos[0].allowed) expect(synth.course.legoById.get(packet.chunks[i].id)!.position).toBeLessThan(lego.position)
    const prompt = readFileSync(join(result.dir, 'prompts', `${last.id}.md`), 'utf8')
    expect(prompt).toContain(lego.target)
    expect(prompt).toContain('$WICKER_OUTPUT')
    expect(prompt).not.toMatch(/\{\{/)
  })

  it('records the canon hash of each basket it regenerates', async () => {
    const {synth, dir} = course(25)
    const canon = await readCanon(join(dir, 'lego_baskets.json'))
    const id = [...canon.baskets.keys()].find((k) => synth.course.legoById.get(k)?.isNew)!
    const skipped = (await runPrepare({course: dir, cwd: dir, ids: [id]})).result
    expect(skipped.totals.legos).toBe(0)
    expect(skipped.skipped[0]!.reason).toMatch(/--regenerate/)
    const {result} = await runPrepare({course: dir, cwd: dir, ids: [id], regenerate: true, run: 'regen'})
    const packet = JSON.parse(readFileSync(join(result.dir, 'packets', `${result.segments[0]!.packets[0]!.id}.json`), 'utf8'))
    expect(packet.bases).toEqual({[id]: canonBasketHash(canon.baskets.get(id)!)})
  })

  it('fails on an unknown or valueless placeholder, or a template without {{output_path}}, before writing anything', async () => {
    const {dir} = course(26)
    const templates = tempDir()
    const cases: Array<[string, RegExp]> = [
      ['Write {{output_path}} for {{packet_idd}}.', /unknown placeholder.*\{\{packet_idd\}\}/],
      ['No output here: {{course}}.', /lacks \{\{output_path\}\}/],
    ]
    for (const [text, error] of cases) {
      writeTree(templates, {'worker.md': text, 'orchestrator.md': '{{packets}}'})
      await expect(runPrepare({course: dir, cwd: dir, templateDir: templates})).rejects.toThrow(error)
      expect(existsSync(join(dir, '.wicker', 'runs'))).toBe(false)
    }
  })
})
