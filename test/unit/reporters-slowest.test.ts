import {describe, expect, it} from 'vitest'

import {slowest} from '../reporters/slowest.js'

describe('the slowest-files reporter', () => {
  it('lists the ten slowest files, slowest first, in seconds', () => {
    const modules = Array.from({length: 14}, (_, i) => ({relativeModuleId: `test/f${i}.test.ts`, diagnostic: () => ({duration: ((i * 5) % 14) * 1000})}))
    const rows = slowest(modules)
    expect(rows).toHaveLength(10)
    expect(rows.map(([, s]) => s)).toEqual([...rows.map(([, s]) => s)].sort((a, b) => b - a))
    expect(rows[0]).toEqual(['test/f11.test.ts', 13])
    expect(rows.at(-1)).toEqual(['test/f12.test.ts', 4])
  })
})
