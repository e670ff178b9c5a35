import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../../src/core/course/load.js'
import {extractFor} from '../../../src/core/extract/run.js'
import {snapshotTree, tempDir} from '../../helpers/fs.js'
import {hostileCorpus} from '../../helpers/hostile-corpus.js'
import {basketsFor, stagingCourse} from '../../helpers/staging.js'

/**
 * A corpus of hostile staging files: each must be reported with a reason, nothing may crash or be
 * polluted, and staging must be byte-identical afterwards.
 */
describe('hostile staging files', async () => {
  const synth = stagingCourse()
  const course = await loadCourse(synth.dir)
  const good = basketsFor(course, 5)[0]!
  const id = good.lego.id
  const phrases = good.phrases.map((p) => ({known: p.known, target: p.target}))
  const basket = {practice_phrases: phrases}
  const text = (v: unknown) => JSON.stringify(v)
  const corpus = hostileCorpus(id, good)

  const stagingDir = `${synth.dir}/phase5_baskets_staging`
  mkdirSync(stagingDir, {recursive: true})
  for (const [name, [content]] of Object.entries(corpus)) writeFileSync(`${stagingDir}/${name}`, content)
  // a symlink that leads out of staging, to a real basket file
  const outside = tempDir()
  writeFileSync(`${outside}/secret.json`, text({[id]: basket}))
  symlinkSync(`${outside}/secret.json`, `${stagingDir}/link-out.json`)
  // and what must still work beside them: a BOM, a fenced reply, prose around JSON, CRLF
  writeFileSync(`${stagingDir}/bom.json`, `\uFEFF${text({[id]: basket})}`)
  writeFileSync(`${stagingDir}/fenced.md`, `Here are the baskets:\n\n\`\`\`json\n${text({[id]: basket})}\n\`\`\`\nDone.`)
  writeFileSync(`${stagingDir}/prose.txt`, `Sure! ${text({[id]: basket})} Hope this helps.`)
  writeFileSync(`${stagingDir}/crlf.json`, text({[id]: basket}).replace(/,/g, ',\r\n'))
  writeFileSync(`${stagingDir}/utf16-bom.json`, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text({[id]: basket}), 'utf16le')]))

  const before = snapshotTree(synth.dir)
  const x = await extractFor(course, {maxFileSize: 2048}, synth.dir)

  it(`reports each of the ${Object.keys(corpus).length + 1} hostile files with its reason`, () => {
    expect(Object.keys(corpus).length + 1).toBeGreaterThanOrEqual(40)
    for (const [name, [, kind]] of Object.entries(corpus)) {
      const found = x.problems.filter((p) => p.file.endsWith(`/${name}`))
      expect(found.map((p) => p.kind), name).toContain(kind)
      expect(found.every((p) => p.message.length > 10), name).toBe(true)
    }
    expect(x.problems.find((p) => p.file.endsWith('link-out.json'))).toMatchObject({kind: 'symlink'})
  })

  it('still reads the good basket from BOM, fenced, prose-wrapped, CRLF and UTF-16 files, as one candidate', () => {
    expect(x.candidates.map((c) => c.id)).toEqual([id])
    const sources = x.candidates[0]!.sources.map((s) => s.file.split('/').pop()).sort()
    // numeric-ids.json holds one good copy under "1" (with legoId) beside an id-less one under "0"
    expect(sources).toEqual(['bom.json', 'crlf.json', 'fenced.md', 'numeric-ids.json', 'prose.txt', 'utf16-bom.json'])
    expect(x.candidates[0]!.phrases).toEqual(phrases)
  })

  it('pollutes nothing', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })

  it('leaves staging byte-identical', () => {
    expect(snapshotTree(synth.dir)).toEqual(before)
  })

  it('salvages truncated JSON with --repair and marks it repaired', async () => {
    const dir = stagingCourse(24, 61)
    const c2 = await loadCourse(dir.dir)
    const b = basketsFor(c2, 5)[0]!
    mkdirSync(`${dir.dir}/phase5_baskets_staging`, {recursive: true})
    const full = JSON.stringify({[b.lego.id]: {practice_phrases: b.phrases}})
    writeFileSync(`${dir.dir}/phase5_baskets_staging/cut.json`, full.slice(0, full.length - 3))
    const plain = await extractFor(c2, {}, dir.dir)
    expect(plain.candidates).toEqual([])
    const repaired = await extractFor(c2, {repair: true}, dir.dir)
    expect(repaired.candidates).toHaveLength(1)
    expect(repaired.candidates[0]!.repaired).toBe(true)
    expect(repaired.problems.map((p) => p.kind)).toContain('repaired')
  })
})
