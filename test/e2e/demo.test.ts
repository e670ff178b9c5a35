import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {wickerIn} from '../helpers/cli-in.js'
import {snapshotTree, tempDir} from '../helpers/fs.js'

describe('wicker demo', () => {
  it('runs the whole chain to full coverage with validate passing; a second run changes nothing and says so', async () => {
    const dir = join(tempDir(), 'demo')
    const first = await wickerIn(['demo', dir, '--json'])
    expect(first.code).toBe(0)
    expect(first.json.result).toMatchObject({passed: true, changed: true, coverage: {after: 1}})
    expect(first.json.result.coverage.before).toBeLessThan(1)
    expect(first.json.result.steps.map((s: {step: string}) => s.step)).toEqual(['copy', 'detect', 'prepare-segments', 'launch', 'extract', 'preview', 'merge', 'validate', 'report'])
    expect(existsSync(join(dir, 'qtl_for_qkn', '.wicker', 'journal.ndjson'))).toBe(true)
    const before = snapshotTree(join(dir, 'qtl_for_qkn', 'lego_baskets.json').replace(/lego_baskets\.json$/, ''))
    const second = await wickerIn(['demo', dir])
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('Nothing changed')
    const after = snapshotTree(join(dir, 'qtl_for_qkn'))
    expect(after['lego_baskets.json']).toBe(before['lego_baskets.json'])
  })
})
