import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {loadConfig} from '../../../src/core/config.js'
import {init} from '../../../src/core/init/init.js'
import {snapshotTree, tempDir, writeTree} from '../../helpers/fs.js'

describe('init', () => {
  it('writes a config that loads, and the ignore and attribute lines', async () => {
    const dir = tempDir()
    const result = await init({dir: '.', cwd: dir})
    expect(result.changes.map((c) => c.action)).toEqual(['created', 'created', 'created'])
    expect((await loadConfig({cwd: dir})).config.gate?.definition).toBe('cumulative')
    expect(readFileSync(`${dir}/.gitignore`, 'utf8')).toContain('phase5_baskets_staging/\nphase3_baskets_staging/\n.wicker/')
    expect(readFileSync(`${dir}/.gitattributes`, 'utf8')).toContain('lego_baskets.json -merge')
  })

  it('changes nothing when run twice', async () => {
    const dir = tempDir()
    await init({dir: '.', cwd: dir})
    const before = snapshotTree(dir)
    const again = await init({dir: '.', cwd: dir})
    expect(again.changes).toEqual([])
    expect(snapshotTree(dir)).toEqual(before)
  })

  it('keeps existing lines and adds only what is missing', async () => {
    const dir = writeTree(tempDir(), {'.gitignore': 'node_modules\n.wicker/', 'wicker.config.json': '{"coursesDir": "x"}'})
    const result = await init({dir: '.', cwd: dir})
    expect(result.changes.map((c) => [c.file.split('/').pop(), c.action])).toEqual([['.gitignore', 'appended'], ['.gitattributes', 'created']])
    expect(readFileSync(`${dir}/.gitignore`, 'utf8')).toBe('node_modules\n.wicker/\n\n# wicker: agent staging and wicker state (never commit)\nphase5_baskets_staging/\nphase3_baskets_staging/\n')
    expect(readFileSync(`${dir}/wicker.config.json`, 'utf8')).toBe('{"coursesDir": "x"}')
  })

  it('writes a $schema the loader accepts: the schema of the nearest installed wicker package, else ./node_modules/wicker/…', async () => {
    const alone = tempDir()
    await init({dir: '.', cwd: alone})
    expect(readFileSync(`${alone}/wicker.config.json`, 'utf8')).toContain('"$schema": "./node_modules/wicker/schemas/config.json",')
    expect((await loadConfig({cwd: alone})).config.$schema).toBe('./node_modules/wicker/schemas/config.json')
    const project = writeTree(tempDir(), {'node_modules/wicker/schemas/config.json': '{}', 'courses/zib/.keep': ''})
    await init({dir: 'courses/zib', cwd: project})
    expect((await loadConfig({cwd: `${project}/courses/zib`})).config.$schema).toBe('../../node_modules/wicker/schemas/config.json')
  })
})
