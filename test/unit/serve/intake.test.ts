import {mkdirSync, writeFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../../src/core/course/load.js'
import {NOTE_KINDS} from '../../../src/core/extract/extract.js'
import {extractFor} from '../../../src/core/extract/run.js'
import {checkUpload} from '../../../src/core/serve/intake.js'
import {hostileCorpus} from '../../helpers/hostile-corpus.js'
import {basketsFor, stagingCourse} from '../../helpers/staging.js'

describe('checking an upload as extract would read it', async () => {
  const synth = stagingCourse()
  const course = await loadCourse(synth.dir)
  const good = basketsFor(course, 5)[0]!
  const id = good.lego.id
  const basket = {practice_phrases: good.phrases.map((p) => ({known: p.known, target: p.target}))}
  const settings = {maxFileSize: 2048}
  const asJson = (name: string) => (name.endsWith('.json') ? name : `${name}.json`)
  const corpus: Record<string, [string | Buffer, string]> = {
    ...hostileCorpus(id, good),
    // strictness the JSON text itself is judged by: a lone surrogate escape, a NUL byte
    'lone-surrogate.json': [`{"${id}": {"practice_phrases": [{"known": "ab\\ud800", "target": "cd"}]}}`, 'hostile'],
    'nul-byte.json': [Buffer.from(`{"${id}": {"practice_phrases": [{"known": "ab\u0000", "target": "cd"}]}}`), 'encoding'],
    'utf16-lone-surrogate.json': [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":"'), Buffer.from([0x00, 0xd8]), Buffer.from('"}')]), 'encoding'],
  }
  const goodFiles: Record<string, string | Buffer> = {
    'plain.json': JSON.stringify({[id]: basket}),
    'bom.json': `\uFEFF${JSON.stringify({[id]: basket})}`,
    'fenced.json': `Here:\n\n\`\`\`json\n${JSON.stringify({[id]: basket})}\n\`\`\`\n`,
    'utf16-bom.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify({[id]: basket}), 'utf16le')]),
  }

  it('refuses every hostile body with the kind extract reports, and accepts what extract reads', async () => {
    for (const [name, [bytes, kind]] of Object.entries(corpus)) {
      const check = await checkUpload({course, name: asJson(name), bytes: Buffer.from(bytes), settings})
      expect(check.ok, name).toBe(false)
      if (check.ok) continue
      expect(check.problems.map((p) => p.kind), name).toContain(kind)
      expect(check.problems.every((p) => p.message.length > 10), name).toBe(true)
    }
    for (const [name, bytes] of Object.entries(goodFiles)) {
      const check = await checkUpload({course, name, bytes: Buffer.from(bytes), settings})
      expect(check, name).toMatchObject({ok: true, baskets: 1, format: 'F1'})
    }
  })

  it('gives the same verdict as extract on the same bytes under the same name', async () => {
    const dir = `${synth.dir}/phase5_baskets_staging`
    mkdirSync(dir, {recursive: true})
    const all = {...Object.fromEntries(Object.entries(corpus).map(([n, [b]]) => [asJson(n), b])), ...goodFiles}
    for (const [name, bytes] of Object.entries(all)) writeFileSync(`${dir}/${name}`, bytes)
    const x = await extractFor(course, settings, synth.dir)
    for (const [name, bytes] of Object.entries(all)) {
      const report = x.files.find((f) => f.file === `phase5_baskets_staging/${name}`)!
      const problems = x.problems.filter((p) => p.file === report.file)
      const extractTakes = report.status === 'used' && problems.every((p) => NOTE_KINDS.has(p.kind) || p.kind === 'staging-conflict' || p.kind === 'superseded')
      const check = await checkUpload({course, name, bytes: Buffer.from(bytes), settings})
      expect(check.ok, name).toBe(extractTakes)
      if (!check.ok) expect([...new Set(check.problems.map((p) => p.kind))].sort(), name).toEqual([...new Set(problems.map((p) => p.kind).filter((k) => !NOTE_KINDS.has(k)))].sort())
    }
  })

  it('names the JSON path of each basket problem', async () => {
    const body = JSON.stringify({baskets: {'../../etc/passwd': basket, [id]: {practice_phrases: []}}})
    const check = await checkUpload({course, name: 'paths.json', bytes: Buffer.from(body)})
    expect(check.ok).toBe(false)
    if (check.ok) return
    expect(check.problems).toEqual([
      // the path as the containers spell it (formats/containers/): the id as it is, after a dot
      expect.objectContaining({kind: 'bad-id', path: '$.baskets.../../etc/passwd'}),
      expect.objectContaining({kind: 'invalid-basket', path: `$.baskets.${id}`}),
    ])
  })

  it('names the JSON path of what makes a body hostile', async () => {
    const cases: Array<[string, string]> = [
      [`{"${id}": {"practice_phrases": [{"known": "a", "target": "b", "__proto__": {"x": 1}}]}}`, `$.${id}.practice_phrases[0].__proto__`],
      [`{"${id}": {"practice_phrases": [{"known": "ab\\udc00", "target": "cd"}]}}`, `$.${id}.practice_phrases[0].known`],
      [`{"${id}": {"practice_phrases": [["a", "b", null, 1e400]]}}`, `$.${id}.practice_phrases[0][3]`],
    ]
    for (const [body, path] of cases) {
      const check = await checkUpload({course, name: 'h.json', bytes: Buffer.from(body)})
      expect(check, body).toMatchObject({ok: false, problems: [{kind: 'hostile', path}]})
    }
  })

  it('accepts a body with notes only (a LEGO text that differs from lego_pairs), and lists the notes', async () => {
    const noted = {...basket, lego: {known: 'zorvek', target: 'plimbu'}}
    const check = await checkUpload({course, name: 'noted.json', bytes: Buffer.from(JSON.stringify({[id]: noted}))})
    expect(check).toMatchObject({ok: true, baskets: 1, notes: [{kind: 'lego-mismatch', path: `$.${id}`}]})
  })

  it('refuses a name that is not a plain staging file name', async () => {
    const bytes = Buffer.from(goodFiles['plain.json'] as string)
    for (const name of ['../up.json', 'sub/x.json', 'sub\\x.json', '.hidden.json', '.json', 'x.txt', 'x', '', 'a..b.json', `${'n'.repeat(201)}.json`, 'nul\u0000.json', 'bell\u0007.json', 'lone\ud800.json']) {
      const check = await checkUpload({course, name, bytes})
      expect(check, JSON.stringify(name)).toMatchObject({ok: false, problems: [{kind: 'bad-name', path: null}]})
    }
    expect(await checkUpload({course, name: 'ñandú-S0001.json', bytes})).toMatchObject({ok: true})
  })
})
