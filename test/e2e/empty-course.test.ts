import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {wickerIn} from '../helpers/cli-in.js'
import {tempDir, writeTree} from '../helpers/fs.js'

/** A course whose lego_pairs.json holds no LEGO: no seeds at all, or seeds whose legos are empty. */
function emptyCourse(seeds: unknown[]): string {
  return writeTree(join(tempDir(), 'plo_for_tam'), {'lego_pairs.json': {seeds}})
}

describe('an empty course is an error, not "100.0% coverage"', () => {
  const courses = {
    'no seeds': emptyCourse([]),
    'seeds without LEGOs': emptyCourse([{seed_id: 'S0001', seed_pair: {known: 'vrel dan', target: 'mok sif'}, legos: []}]),
  }
  for (const [what, dir] of Object.entries(courses)) {
    it(`${what}: detect, validate, status and preview exit 2 with E_EMPTY_COURSE naming lego_pairs.json`, async () => {
      for (const command of ['detect', 'validate', 'status', 'preview']) {
        const run = await wickerIn([command, dir, '--json'])
        expect(run.code, `${command} (${what})`).toBe(2)
        expect(run.json.name).toBe('E_EMPTY_COURSE')
        expect(run.json.message).toContain(join(dir, 'lego_pairs.json'))
        const human = await wickerIn([command, dir])
        expect(human.stdout).not.toMatch(/coverage/)
        expect(human.stderr).toMatch(/has no LEGOs/)
      }
    })
  }

  it('every command that checks baskets names the empty course even where canon is broken too: the course is read first', async () => {
    const dir = writeTree(join(tempDir(), 'plo_for_tam'), {'lego_pairs.json': {seeds: []}, 'lego_baskets.json': '{"baskets": {"S0001L01": '})
    for (const command of [['validate', dir, '--json'], ['report', dir, '--out', join(tempDir(), 'r.html'), '--json'], ['detect', dir, '--json'], ['status', dir, '--json'], ['preview', dir, '--json']]) {
      const run = await wickerIn(command)
      expect([command[0], run.code, run.json.name]).toEqual([command[0], 2, 'E_EMPTY_COURSE'])
    }
  })
})
