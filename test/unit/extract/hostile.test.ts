import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../../src/core/course/load.js'
import {extractFor} from '../../../src/core/extract/run.js'
import {snapshotTree, tempDir} from '../../helpers/fs.js'
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
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)

  // name → [content, expected problem kind]
  const corpus: Record<string, [string | Buffer, string]> = {
    'truncated-string.json': [`{"${id}": {"practice_phrases": [{"known": "ab`, 'invalid-json'],
    'truncated-array.json': [`{"${id}": {"practice_phrases": [["a", "b"], `, 'invalid-json'],
    'trailing-comma.json': [`{"${id}": {"practice_phrases": [["a", "b"],]}}`, 'invalid-json'],
    'single-quotes.json': [`{'${id}': {'practice_phrases': [['a', 'b']]}}`, 'invalid-json'],
    'python-literals.json': [`{"${id}": {"practice_phrases": [["a", "b", None, True]]}}`, 'invalid-json'],
    'ellipsis.json': [`{"${id}": {"practice_phrases": [["a", "b"], ...]}}`, 'invalid-json'],
    'ndjson.json': [`${text({[id]: basket})}\n${text({[id]: basket})}\n`, 'invalid-json'],
    'error-message.txt': ['Error: rate limit exceeded, please try again later.', 'not-baskets'],
    'prose-only.md': ['I could not finish the task.', 'not-baskets'],
    'empty.json': ['', 'empty'],
    'whitespace.json': ['   \n\t  ', 'empty'],
    'null.json': ['null', 'not-baskets'],
    'number.json': ['42', 'not-baskets'],
    'string.json': ['"baskets"', 'not-baskets'],
    'true.json': ['true', 'not-baskets'],
    'empty-object.json': ['{}', 'not-baskets'],
    'empty-array.json': ['[]', 'not-baskets'],
    'array-of-numbers.json': ['[1, 2, 3]', 'not-baskets'],
    'proto-top.json': [`{"__proto__": {"polluted": "yes"}, "${id}": ${text(basket)}}`, 'hostile'],
    'proto-nested.json': [`{"${id}": {"practice_phrases": [{"known": "a", "target": "b", "__proto__": {"polluted": "yes"}}]}}`, 'hostile'],
    'constructor.json': [`{"${id}": {"constructor": {"prototype": {"polluted": "yes"}}, "practice_phrases": []}}`, 'hostile'],
    'prototype-key.json': [`{"baskets": {"${id}": {"prototype": 1, "practice_phrases": []}}}`, 'hostile'],
    'deep-nesting.json': [deep(200), 'hostile'],
    'deep-object.json': [`{"${id}": ${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`, 'hostile'],
    'huge-integer.json': [`{"${id}": {"practice_phrases": [["a", "b", null, 123456789012345678901234567890]]}}`, 'hostile'],
    'infinite.json': [`{"${id}": {"practice_phrases": [["a", "b", null, 1e400]]}}`, 'hostile'],
    'invalid-utf8.json': [Buffer.concat([Buffer.from(`{"${id}": {"practice_phrases": [["a`), Buffer.from([0xc3, 0x28]), Buffer.from('", "b"]]}}')]), 'encoding'],
    'overlong-utf8.json': [Buffer.concat([Buffer.from('{"a": "'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), 'encoding'],
    'utf16-no-bom.json': [Buffer.from(text({[id]: basket}), 'utf16le'), 'encoding'],
    'binary.bin': [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), 'encoding'],
    'path-id.json': [text({baskets: {'../../etc/passwd': basket}}), 'bad-id'],
    'path-id-windows.json': [text({baskets: {'C:\\x\\S0001L01': basket}}), 'bad-id'],
    'lowercase-id.json': [text({baskets: {[id.toLowerCase()]: basket}}), 'bad-id'],
    'padded-id.json': [text({baskets: {[` ${id} `]: basket}}), 'bad-id'],
    'fullwidth-id.json': [text({baskets: {[id.replace('S', 'Ｓ')]: basket}}), 'bad-id'],
    'numeric-ids.json': [text({'0': {practice_phrases: phrases}, '1': {legoId: id, practice_phrases: phrases}}), 'bad-id'],
    'array-for-object.json': [text({baskets: {[id]: {practice_phrases: 'ten phrases'}}}), 'bad-phrase'],
    'object-for-array.json': [text({seed_id: 'S0001', baskets: [[1, 2]]}), 'bad-id'],
    'null-basket.json': [text({baskets: {[id]: null}}), 'bad-basket'],
    'null-phrases.json': [text({baskets: {[id]: {practice_phrases: [null, 7, 'x']}}}), 'bad-phrase'],
    'empty-phrases.json': [text({baskets: {[id]: {practice_phrases: []}}}), 'invalid-basket'],
    'blank-side.json': [text({baskets: {[id]: {practice_phrases: [{known: '  ', target: good.lego.target}]}}}), 'invalid-basket'],
    'bare-list-no-id.json': [text([['a', 'b']]), 'bad-id'],
    'swarm-upload.json': [text({browserId: 'x', agentId: 'y', seedRange: 'S0001-S0005', seeds: [{seed_id: 'S0001', legos: []}]}), 'not-baskets'],
    'too-large.json': [`{"pad": "${'x'.repeat(3000)}"}`, 'too-large'],
    'duplicate-id.json': [`{"${id}": ${text(basket)}, "${id}": {"practice_phrases": []}}`, 'hostile'],
    'duplicate-nested.json': [`{"${id}": {"practice_phrases": [{"known": "a", "target": "b", "target": "c"}]}}`, 'hostile'],
  }

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
