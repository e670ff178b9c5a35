import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it, vi} from 'vitest'

import {runMerge} from '../../../src/core/merge/run.js'
import {canonBytes, flowCourse} from '../../helpers/flow.js'

/**
 * A first merge writes the untouched baskets of another tool's canon from their bytes
 * (canon/reindent.ts). Were that rewrite ever wrong, the invariants must stop the merge before
 * anything is written: here it is made wrong on purpose, one byte of one phrase changed.
 */
const broken = vi.hoisted(() => ({on: false, hits: 0, calls: 0}))
vi.mock('../../../src/core/canon/reindent.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/core/canon/reindent.js')>()
  return {
    ...real,
    reindent(...args: Parameters<typeof real.reindent>) {
      const out = args[4]
      const mark = out.length
      const end = real.reindent(...args)
      broken.calls++
      if (broken.on && end >= 0 && args[3] === 2 && broken.hits++ === 3) {
        const at = out.buf.indexOf('"target": "', mark) + 11
        if (at > 10 && at < out.length) out.buf[at] = out.buf[at] === 0x41 ? 0x42 : 0x41
      }
      return end
    },
  }
})

describe('a first merge written from the bytes it scanned', () => {
  it('merges as before when the rewrite is right', async () => {
    const course = flowCourse({seeds: 12, formats: ['F1']})
    broken.on = false
    broken.calls = 0
    const {result} = await runMerge({course: course.dir, cwd: course.dir, yes: true})
    // the canon was written from its bytes
    expect(broken.calls).toBeGreaterThan(10)
    expect(result.status).toBe('merged')
    expect(result.written).toBe('serialised')
    expect(JSON.parse(readFileSync(join(course.dir, 'lego_baskets.json'), 'utf8')).baskets).toBeDefined()
  })

  it('is stopped by the invariants, canon untouched, when an untouched basket would change', async () => {
    const course = flowCourse({seeds: 12, formats: ['F1']})
    const before = canonBytes(course.dir)
    broken.on = true
    broken.hits = 0
    const error = await runMerge({course: course.dir, cwd: course.dir, yes: true}).then(() => null, (e: Error & {code?: string}) => e)
    broken.on = false
    expect(broken.hits).toBeGreaterThan(3)
    expect(error).toMatchObject({code: 'E_INVARIANT'})
    expect(error!.message).toMatch(/would change without being in the plan/)
    expect(canonBytes(course.dir)!.equals(before!)).toBe(true)
  })
})
