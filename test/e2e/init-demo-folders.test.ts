import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {wicker} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'

describe('init DIR makes only DIR: its parent must exist, unless --parents', () => {
  it('refuses a missing parent with exit 2, a hint naming --parents, and makes nothing', async () => {
    const root = tempDir()
    const target = join(root, 'nope', 'deeper', 'zarn')
    const run = await wickerIn(['init', target, '--json'])
    expect(run.code).toBe(2)
    expect(run.json.name).toBe('E_NO_PARENT')
    expect(run.json.message).toContain(join(root, 'nope', 'deeper'))
    expect(run.json.hint).toContain('--parents')
    expect(existsSync(join(root, 'nope'))).toBe(false)
  })

  it('makes DIR when its parent exists, and the whole path with --parents', async () => {
    const root = tempDir()
    expect((await wickerIn(['init', join(root, 'zarn')])).code).toBe(0)
    expect(existsSync(join(root, 'zarn', 'wicker.config.json'))).toBe(true)
    const deep = join(root, 'a', 'b', 'c')
    const run = await wickerIn(['init', deep, '--parents', '--json'])
    expect(run.code).toBe(0)
    expect(existsSync(join(deep, 'wicker.config.json'))).toBe(true)
    expect(run.json.result.changes.map((c: {file: string}) => c.file)).toEqual(expect.arrayContaining([join(root, 'a'), join(root, 'a', 'b'), deep]))
  })

  it('a file where a folder must be is exit 2 naming it', async () => {
    const root = tempDir()
    writeFileSync(join(root, 'plain'), 'x')
    const run = await wickerIn(['init', join(root, 'plain', 'sub'), '--parents', '--json'])
    expect(run.code).toBe(2)
    expect(run.json.message).toContain(join(root, 'plain'))
  })
})

describe('a folder the file system refuses to make fails at once, never spins', () => {
  it.runIf(existsSync('/proc/self'))('demo /proc/x/y: exit 4 with the path at once (it used to spin at 100% CPU for ever)', async () => {
    const started = Date.now()
    // a real process: a spin must show as a kill at the timeout, not hang the test process
    const run = wicker(['demo', '/proc/vexil/y', '--json'], {timeout: 10_000})
    const ms = Date.now() - started
    expect(run.signal).toBeNull()
    expect(run.code).toBe(4)
    expect(run.json.message).toContain('/proc/vexil')
    expect(ms).toBeLessThan(5000)
    expect(existsSync('/proc/vexil')).toBe(false)
  })

  it.runIf(existsSync('/proc/self'))('init /proc/x/y --parents: the same', async () => {
    const run = wicker(['init', '/proc/vexil/y', '--parents', '--json'], {timeout: 10_000})
    expect(run.signal).toBeNull()
    expect(run.code).toBe(4)
    expect(run.json.message).toContain('/proc/vexil')
  })
})
