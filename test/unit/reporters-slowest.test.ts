import {describe, expect, it} from 'vitest'

import {cpuSeconds} from '../setup/cpu.js'
import {allFiles, slowest, slowestText} from '../reporters/slowest.js'

const file = (i: number, seconds: number, cpu?: {self: number; children: number}) => ({relativeModuleId: `test/f${i}.test.ts`, diagnostic: () => ({duration: seconds * 1000}), meta: () => (cpu ? {cpu} : {})})

describe('the slowest-files reporter', () => {
  it('lists the ten slowest files, slowest first, in seconds', () => {
    const modules = Array.from({length: 14}, (_, i) => file(i, (i * 5) % 14))
    const rows = slowest(modules)
    expect(rows).toHaveLength(10)
    expect(rows.map(([, s]) => s)).toEqual([...rows.map(([, s]) => s)].sort((a, b) => b - a))
    expect(rows[0]).toEqual(['test/f11.test.ts', 13, null])
    expect(rows.at(-1)).toEqual(['test/f12.test.ts', 4, null])
  })

  it('prints each file\'s CPU beside its time, its child processes\' included, and the total', () => {
    const text = slowestText([file(1, 30, {self: 2, children: 24.5}), file(2, 3, {self: 1.25, children: 0}), file(3, 1)])
    expect(text).toContain('CPU 28 s in 2 files, their child processes included')
    expect(text).toMatch(/test\/f1\.test\.ts +30\.0 s +26\.5 s CPU\n/)
    expect(text).toMatch(/test\/f2\.test\.ts +3\.0 s +1\.3 s CPU\n/)
    expect(text).toMatch(/test\/f3\.test\.ts +1\.0 s\n/)
  })

  it('lists every file for WICKER_TEST_CPU_JSON, most CPU first, unmeasured ones last', () => {
    const rows = allFiles([file(1, 30, {self: 2, children: 1}), file(2, 3, {self: 1.5, children: 8}), file(3, 9), file(4, 1, {self: 0.5, children: 0})])
    expect(rows.map((r) => r.file)).toEqual(['test/f2.test.ts', 'test/f1.test.ts', 'test/f4.test.ts', 'test/f3.test.ts'])
    expect(rows[0]).toEqual({file: 'test/f2.test.ts', seconds: 3, cpu: 9.5, self: 1.5, children: 8})
    expect(rows[3]).toEqual({file: 'test/f3.test.ts', seconds: 9, cpu: null, self: null, children: null})
  })

  it('measures CPU: work in this process, and a child process once it was waited for', async () => {
    const {spawnSync} = await import('node:child_process')
    const {createHash} = await import('node:crypto')
    const before = cpuSeconds()
    // work by amount, not by time (a loaded machine gives a busy loop less CPU): 64 MiB hashed
    const mib = Buffer.alloc(2 ** 20, 7)
    const hash = createHash('sha256')
    for (let i = 0; i < 64; i++) hash.update(mib)
    hash.digest()
    const mid = cpuSeconds()
    // a node start is some 50 ms of CPU, and the child hashes 64 MiB too
    spawnSync(process.execPath, ['-e', "const h = require('crypto').createHash('sha256'); const b = Buffer.alloc(2 ** 20, 7); for (let i = 0; i < 64; i++) h.update(b); h.digest()"])
    const after = cpuSeconds()
    expect(mid.self - before.self).toBeGreaterThan(0.02)
    if (process.platform === 'linux') {
      expect(mid.children).toBe(before.children)
      expect(after.children! - mid.children!).toBeGreaterThanOrEqual(0.03)
    }
  })
})
