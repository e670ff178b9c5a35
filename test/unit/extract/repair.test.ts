import {writeFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {jsonrepair} from 'jsonrepair'
import {describe, expect, it} from 'vitest'

import {sloppyReply} from '../../../bench/synth/sloppy.js'
import {loadCourse} from '../../../src/core/course/load.js'
import {extractFor} from '../../../src/core/extract/run.js'
import {findJson} from '../../../src/core/staging/decode.js'
import {repairJson} from '../../../src/core/staging/repair.js'
import {stagingCourse} from '../../helpers/staging.js'

describe('extract --repair on sloppy agent replies', async () => {
  const synth = stagingCourse(6, 63)
  const course = await loadCourse(synth.dir)
  const dir = join(synth.dir, 'phase5_baskets_staging')
  mkdirSync(dir, {recursive: true})
  const small = sloppyReply(20_000, 1)
  const big = sloppyReply(120_000, 2)
  writeFileSync(join(dir, 'small_reply.md'), small.text)
  writeFileSync(join(dir, 'big_reply.md'), big.text)

  it('repairs a reply under the cap and refuses one over it, saying how to go on', async () => {
    const x = await extractFor(course, {repair: true, maxRepairSize: 100_000}, synth.dir)
    const byFile = (name: string) => x.files.find((f) => f.file.endsWith(name))!
    expect(byFile('small_reply.md')).toMatchObject({status: 'used', baskets: small.baskets})
    expect(byFile('big_reply.md')).toMatchObject({status: 'bad', baskets: 0})
    expect(byFile('big_reply.md').reason).toMatch(/too large to repair automatically \(0\.1 MiB > 0\.1 MiB cap\): fix it by hand or raise --max-repair-size$/)
    expect(x.problems.find((p) => p.file.endsWith('small_reply.md'))).toMatchObject({kind: 'repaired', message: expect.stringMatching(/^repaired with jsonrepair \(Expected/)})
    expect(x.candidates.filter((c) => c.repaired)).toHaveLength(small.baskets)
  })

  it('without --repair, neither is repaired', async () => {
    const x = await extractFor(course, {}, synth.dir)
    expect(x.files.map((f) => f.status)).toEqual(['bad', 'bad'])
    expect(x.problems.every((p) => p.kind === 'invalid-json' && p.message.includes('--repair may salvage it'))).toBe(true)
  })

  it('repairs a large reply (windowed) to exactly what the regular jsonrepair gives, astral characters across windows included', async () => {
    const {text} = sloppyReply(400_000, 3)
    // astral pseudo-words (surrogate pairs) everywhere, so some pair straddles a 64 KiB window edge
    const astral = findJson(text).text.replace(/[áéíóú]/g, '\u{20000}')
    // pad the first line so that a high surrogate sits last in the first 64 KiB window
    let q = 65535
    while (!(astral.charCodeAt(q) >= 0xd800 && astral.charCodeAt(q) <= 0xdbff)) q--
    const json = `{${' '.repeat(65535 - q)}${astral.slice(1)}`
    expect(json.charCodeAt(65535)).toBeGreaterThanOrEqual(0xd800)
    expect(json.charCodeAt(65535)).toBeLessThanOrEqual(0xdbff)
    expect(await repairJson(json)).toBe(jsonrepair(json))
  })
})

describe('repairJson beyond the window', () => {
  it('still repairs a text with a run of white space longer than the 64 KiB window (the window cannot hold it)', async () => {
    const sloppy = findJson(sloppyReply(300_000, 4).text).text
    const json = `${sloppy.slice(0, sloppy.lastIndexOf('}'))}"S9000L01": {"practice_phrases": [["bado", "zélla"]]}\n}${' '.repeat(100_000)}`
    const repaired = await repairJson(json)
    expect(repaired).toBe(jsonrepair(json))
    expect((JSON.parse(repaired) as Record<string, {practice_phrases: string[][]}>).S9000L01!.practice_phrases[0]).toEqual(['bado', 'zélla'])
  })
})
