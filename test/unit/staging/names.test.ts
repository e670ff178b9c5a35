import {mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {execFileSync} from 'node:child_process'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../../src/core/course/load.js'
import {extractFor, runExtract} from '../../../src/core/extract/run.js'
import {currentExtraction} from '../../../src/core/preview/run.js'
import {decodeName, escapeBytes} from '../../../src/core/staging/names.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {tempDir} from '../../helpers/fs.js'
import {basketsFor, stagingCourse} from '../../helpers/staging.js'

describe('staging names as bytes', () => {
  it('decodes UTF-8 names and escapes every byte of the others', () => {
    expect(decodeName(Buffer.from('zélla_S0001L01.json'))).toEqual({ok: true, text: 'zélla_S0001L01.json'})
    // a lone 0xff, a cut-off two-byte sequence, an overlong '/', then valid é
    expect(decodeName(Buffer.from([0x62, 0xff, 0x2e, 0xc3, 0x2e, 0xc0, 0xaf, 0xc3, 0xa9]))).toEqual({ok: false, text: 'b\\xff.\\xc3.\\xc0\\xaf\u00e9'})
    expect(escapeBytes(Buffer.from([0xe2, 0x82]))).toBe('\\xe2\\x82')
  })
})

describe('the cached extraction preview reuses', async () => {
  const synth = stagingCourse(6, 64)
  const course = await loadCourse(synth.dir)
  const dir = join(synth.dir, 'phase5_baskets_staging')
  mkdirSync(dir, {recursive: true})
  const b = basketsFor(course, 0)[0]!
  writeFileSync(join(dir, 'agent1.json'), JSON.stringify({[b.lego.id]: {practice_phrases: b.phrases}}))
  await runExtract({course: synth.dir, cwd: synth.dir})
  const cacheFile = wickerPaths(synth.dir).extract

  it('is reused while staging is as it was', async () => {
    expect((await currentExtraction(course, {}, synth.dir)).reused).toBe(true)
  })

  it('is not trusted when it names a file the scan does not find (.wicker/ is part of the untrusted course)', async () => {
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8'))
    cache.files.push({...cache.files[0], file: '../victim.json'})
    cache.candidates[0].sources.push({...cache.candidates[0].sources[0], file: '../victim.json'})
    writeFileSync(cacheFile, JSON.stringify(cache))
    const {extraction, reused} = await currentExtraction(course, {}, synth.dir)
    expect(reused).toBe(false)
    expect(extraction.files.map((f) => f.file)).toEqual(['phase5_baskets_staging/agent1.json'])
  })
})

describe('launch packets extract reads for base hashes', async () => {
  const synth = stagingCourse(6, 65)
  const course = await loadCourse(synth.dir)
  const b = basketsFor(course, 0)[0]!
  const outside = tempDir('wicker-outside-runs-')
  const staged = (dir: string) => {
    mkdirSync(join(dir, 'phase5_baskets_staging'), {recursive: true})
    writeFileSync(join(dir, 'phase5_baskets_staging', 'r1__p0123456789abcde__1.json'), JSON.stringify({[b.lego.id]: {practice_phrases: b.phrases}}))
  }

  it('takes the base from the course\'s own packet, and not through a run folder that is a symlink out of the course', async () => {
    staged(synth.dir)
    const packets = join(synth.dir, '.wicker', 'runs', 'r1', 'packets')
    mkdirSync(packets, {recursive: true})
    writeFileSync(join(packets, 'p0123456789abcde.json'), JSON.stringify({id: 'p0123456789abcde', run: 'r1', bases: {[b.lego.id]: 'a'.repeat(64)}}))
    expect((await extractFor(course, {}, synth.dir)).candidates[0]!.base).toBe('a'.repeat(64))

    mkdirSync(join(outside, 'packets'), {recursive: true})
    writeFileSync(join(outside, 'packets', 'p0123456789abcde.json'), JSON.stringify({id: 'p0123456789abcde', run: 'r1', bases: {[b.lego.id]: 'b'.repeat(64)}}))
    rmSync(join(synth.dir, '.wicker', 'runs', 'r1'), {recursive: true})
    symlinkSync(outside, join(synth.dir, '.wicker', 'runs', 'r1'))
    expect((await extractFor(course, {}, synth.dir)).candidates[0]!.base).toBeNull()
  })

  /** A course with one staged output of packet p0123456789abcde of `run`, and that run's (empty) packets folder. */
  async function launchOutput(seed: number, run: string) {
    const dir = stagingCourse(6, seed).dir
    const c = await loadCourse(dir)
    const basket = basketsFor(c, 0)[0]!
    mkdirSync(join(dir, 'phase5_baskets_staging'), {recursive: true})
    writeFileSync(join(dir, 'phase5_baskets_staging', `${run}__p0123456789abcde__1.json`), JSON.stringify({[basket.lego.id]: {practice_phrases: basket.phrases}}))
    const packets = join(dir, '.wicker', 'runs', run, 'packets')
    mkdirSync(packets, {recursive: true})
    return {dir, c, basket, packets}
  }

  it('takes no base from a packet that fails its schema or is another packet\'s: a forged base would make a regeneration an update', async () => {
    const {dir, c, basket, packets} = await launchOutput(67, 'r1')
    const packet = join(packets, 'p0123456789abcde.json')
    for (const doc of [{id: 'p0123456789abcde', run: 'r1', bases: {[basket.lego.id]: 'not-a-hash'}}, {id: 'pfedcba987654321', run: 'r1', bases: {[basket.lego.id]: 'c'.repeat(64)}}, {id: 'p0123456789abcde', run: 'r1', bases: [`${'c'.repeat(64)}\u0000`]}]) {
      writeFileSync(packet, JSON.stringify(doc))
      expect((await extractFor(c, {}, dir)).candidates[0]!.base).toBeNull()
    }
  })

  it('reads no packet that is a FIFO (it would hang extract), and none a staging name with `..` for a run would reach', async () => {
    const {dir, c, basket, packets} = await launchOutput(66, 'r2')
    execFileSync('mkfifo', [join(packets, 'p0123456789abcde.json')])
    const extraction = await Promise.race([extractFor(c, {}, dir), new Promise<null>((r) => setTimeout(() => r(null), 5000))])
    expect(extraction, 'extract hung on a FIFO where a packet belongs').not.toBeNull()
    expect(extraction!.candidates[0]!.base).toBeNull()
    expect(extraction!.candidates.map((x) => x.id)).toEqual([basket.lego.id])
  })
})
