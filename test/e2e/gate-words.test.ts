import {describe, expect, it} from 'vitest'

import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir, writeTree} from '../helpers/fs.js'

/** A two-LEGO Chinese course whose second LEGO is molecular (喝 + 水), and a canon using 水 alone. */
function course(config?: unknown): string {
  const dir = `${tempDir()}/cmn_for_eng`
  writeTree(dir, {
    'lego_pairs.json': {seeds: [{seed_id: 'S0001', seed_pair: {known: 'i want water', target: '我想要喝水'}, legos: [
      {id: 'S0001L01', type: 'A', new: true, lego: {known: 'i want', target: '我想要'}},
      {id: 'S0001L02', type: 'M', new: true, lego: {known: 'drink water', target: '喝水'}, components: [{known: 'drink', target: '喝'}, {known: 'water', target: '水'}]},
    ]}]},
    'lego_baskets.json': {baskets: {
      S0001L01: {lego: {known: 'i want', target: '我想要'}, practice_phrases: [{known: 'i want', target: '我想要'}], is_final_lego: false, phrase_count: 1},
      S0001L02: {lego: {known: 'drink water', target: '喝水'}, practice_phrases: [{known: 'want water, drink water', target: '想要水，喝水'}, {known: 'i want to drink water', target: '我想要喝水'}], is_final_lego: true, phrase_count: 2},
    }},
    ...(config === undefined ? {} : {'wicker.config.json': config}),
  })
  return dir
}

describe('validate: components and word rules from the command line', () => {
  it('components count by default; --no-components turns them off and the finding names the rule of each word', async () => {
    const dir = course()
    const on = await wickerIn(['validate', dir, '--json'])
    expect(on.code).toBe(0)
    expect(on.json.result.counts.gateViolations).toBe(0)
    const off = await wickerIn(['validate', dir, '--no-components', '--json'])
    expect(off.code).toBe(1)
    const [finding] = off.json.result.findings.filter((f: {check: string}) => f.check === 'gate')
    expect(finding).toMatchObject({basket: 'S0001L02', phrase: 0, words: ['水'], coverage: [{word: '想要', rule: 'segment'}, {word: '水', rule: null}, {word: '喝水', rule: 'whole-lego'}]})
  })

  it('a bad elision key in the config is a usage error naming the field', async () => {
    const dir = course({gate: {elision: {fra: {"l'": ['le']}}}})
    const r = await wickerIn(['validate', '.', '--json'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.json.message).toContain("gate.elision.fra.l': a key is a clitic before a word (l'-)")
    expect(r.stderr).not.toMatch(STACK_TRACE)
  })
})
