import {mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {realDisk, type Disk} from '../../../src/core/store/disk.js'
import {confine} from '../../../src/core/store/inside.js'
import {remembering} from '../../../src/core/transaction/remembering.js'

/** One pass of path checks asks the disk each lstat and realpath question once, and judges as the disk does. */
describe('a remembering disk', () => {
  const counted = () => {
    const asked: string[] = []
    const disk: Disk = new Proxy(realDisk, {
      get(target, name) {
        const value = Reflect.get(target, name, target) as unknown
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          asked.push(`${String(name)} ${String(args[0])}`)
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    return {disk, asked}
  }

  it('asks the folders every file shares once, and nothing else fewer times than it is asked', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wicker-remember-'))
    const staging = join(root, 'phase5_baskets_staging')
    mkdirSync(staging)
    for (const n of ['a', 'b', 'c']) writeFileSync(join(staging, `${n}.json`), '{}')
    const plain = counted()
    const once = counted()
    const disk = remembering(once.disk)
    for (const n of ['a', 'b', 'c']) {
      expect(await confine(plain.disk, staging, `${n}.json`, {noFinalSymlink: true})).toBe(join(staging, `${n}.json`))
      expect(await confine(disk, staging, `${n}.json`, {noFinalSymlink: true})).toBe(join(staging, `${n}.json`))
    }
    expect(new Set(once.asked).size).toBe(once.asked.length)
    expect(once.asked.length).toBeLessThan(plain.asked.length)
    expect(once.asked.filter((a) => a === `realpath ${staging}`)).toHaveLength(1)
    // the rest of the Disk is the disk's own
    expect(disk.exists(join(staging, 'a.json'))).toBe(true)
    expect(await disk.readdir(staging)).toEqual(['a.json', 'b.json', 'c.json'])
  })

  it('refuses what the disk refuses: a symlinked folder leading out', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wicker-remember-'))
    const outside = mkdtempSync(join(tmpdir(), 'wicker-outside-'))
    writeFileSync(join(outside, 'x.json'), '{}')
    symlinkSync(outside, join(root, 'out'))
    const disk = remembering(realDisk)
    expect(await confine(disk, root, 'out/x.json')).toBeNull()
    expect(await confine(disk, root, 'out/x.json')).toBeNull()
  })
})
