import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {checkCanonBytes} from '../../../src/core/canon/read.js'
import {parseCanonStrict} from '../../../src/core/canon/strict.js'
import {isObject} from '../../../src/core/json.js'
import {OTHER, plainlyTidy, scanUsable, SHAPED_EMPTY, SHAPED_USABLE} from '../../../src/core/canon/usable-scan.js'
import {tidy} from '../../../src/core/text/normalize.js'
import {readFromBytes, sameAsFullRead} from '../../helpers/canon-reads.js'

/**
 * detect's read of canon (spans: 'usable', usable-scan.ts) scans bytes, never the decoded text, and
 * so do validate's and the report's (spans: 'phrases', which keep each phrase's span). The
 * full read stays the oracle: the same baskets (every field, read from the bytes when asked), strays,
 * metadata, top level, findings and hash, or the same refusal, for documents of every shape and
 * layout, and documents made hostile byte by byte (every white space and control character,
 * backslashes, quotes, invalid UTF-8, a BOM, escaped and raw surrogates, numeric, escaped and
 * prototype keys, duplicates, truncation).
 */
const same = sameAsFullRead
const byted = (text: string) => readFromBytes(text, 'usable')

const good = (known: string, target: string) => ({lego: {known, target}, practice_phrases: [{known, target}, {known: `${known} ${known}`, target: `${target} ${target}`}], is_final_lego: false, phrase_count: 2})

/** a canon wicker could have written, in one of three layouts */
const base = fc
  .record({
    texts: fc.array(fc.tuple(fc.constantFrom('mip', 'dax', 'tú “qó”', '甲乙', ' ', '\u00a0', '\u3000x'), fc.constantFrom('vé', 'ñam', '', '\u2028', 'z')), {minLength: 1, maxLength: 4}),
    layout: fc.constantFrom(0, 1, 2),
    strays: fc.boolean(),
  })
  .map(({texts, layout, strays}) => {
    const baskets = Object.fromEntries(texts.map(([k, t], i) => [`S000${i + 1}L01`, good(k, t)]))
    const doc = {version: '1.0.0', metadata: {total_baskets: texts.length}, baskets, ...(strays ? {S0009L01: good('a', 'b'), seed: 'x'} : {})}
    return layout === 0 ? JSON.stringify(doc) : layout === 1 ? `${JSON.stringify(doc, null, 2)}\n` : JSON.stringify(doc, null, '\t').replaceAll(':', ' :\r\n')
  })

/** what is spliced into it: every byte the scan must judge */
const piece = fc.oneof(
  fc.integer({min: 0, max: 0x20}).map((c) => Buffer.from([c])),
  fc.constantFrom('\\', '\\x', '\\u00', '"', '\\\\').map((s) => Buffer.from(s, 'utf8')),
  fc.constantFrom(...['\\', '"', '\\"', '\\n', '\\u0041', '\\ud800', '\\udc00', '\\ud83d\\ude00', '{', '}', '[', ']', ',', ':', '0', '1', '12345678901234567890', '1e400', 'true', 'null', '__proto__', 'baskets', '"baskets":{}', 'known', 'target', 'lego', 'é', '\u00a0', '\u2028', '\ufeff', '\u3000', '"S0001L01":'].map((s) => Buffer.from(s, 'utf8'))),
  fc.constantFrom(Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0x80])),
)

/** a splice: at a fraction of the document, delete some bytes and insert a piece */
const splice = fc.record({at: fc.noBias(fc.integer({min: 0, max: 1_000_000})).map((n) => n / 1_000_000), remove: fc.nat(3), insert: piece})

function mutate(text: string, splices: Array<{at: number; remove: number; insert: Buffer}>): Buffer {
  let bytes = Buffer.from(text, 'utf8')
  for (const {at, remove, insert} of splices) {
    const i = Math.min(bytes.length, Math.floor(at * bytes.length))
    bytes = Buffer.concat([bytes.subarray(0, i), insert, bytes.subarray(Math.min(bytes.length, i + remove))])
  }
  return bytes
}

/** documents of every shape the scan reads itself or hands on to the parse */
const pair = fc.record({known: fc.constantFrom('mip', 'mip dax', '', ' ', '\u00a0', 'tú “qó”', 'ʼa\\b', 'x\ny', '\ud800', 'vé\u2028'), target: fc.constantFrom('vé', 'vé qó', '', '\t', 'ñam velú', 'a"b', '甲乙', '\u3000')})
const phrase = fc.oneof(
  {weight: 6, arbitrary: pair},
  {weight: 1, arbitrary: fc.tuple(fc.constantFrom('mip', ''), fc.constantFrom('vé', ' '))},
  {weight: 1, arbitrary: fc.record({english: fc.constant('mip'), target: fc.constant('vé')})},
  {weight: 1, arbitrary: fc.constantFrom(null, 3, 'vé', {known: 'a'}, {known: 'a', target: 'b', lego_count: 2}, {target: 'b', known: 'a'})},
)
const basket = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        lego: fc.oneof(pair, fc.constant(['mip', 'vé']), fc.constant({target: 'vé'}), fc.constant(null)),
        practice_phrases: fc.oneof({weight: 5, arbitrary: fc.array(phrase, {maxLength: 4})}, {weight: 1, arbitrary: fc.constant('none')}),
        is_final_lego: fc.oneof(fc.boolean(), fc.constant('yes')),
        phrase_count: fc.oneof(fc.nat(12), fc.constant(1.5), fc.constant(-1)),
      },
      {requiredKeys: []},
    ),
  },
  {weight: 1, arbitrary: fc.array(phrase, {maxLength: 3})},
  {weight: 1, arbitrary: fc.constantFrom(null, 'x', 7, {phrases: [{known: 'a', target: 'b'}]})},
)
const id = fc.constantFrom('S0001L01', 'S0001L02', 'S0002L01', 'S0002L03', 'S0003L01', 'notalego', '12', 'Sé01L01')
const doc = fc.record(
  {
    version: fc.constant('1.0.0'),
    metadata: fc.record({total_baskets: fc.nat(4)}),
    baskets: fc.dictionary(id, basket, {maxKeys: 5}),
    S0009L01: basket,
    seed: fc.constant('S0009'),
  },
  {requiredKeys: ['baskets']},
)
/** how the document is written: minified, 2-space as wicker writes it, or with odd but legal white space */
const layout = fc.constantFrom<(v: unknown) => string>(
  (v) => JSON.stringify(v),
  (v) => `${JSON.stringify(v, null, 2)}\n`,
  (v) => JSON.stringify(v, null, '\t').replaceAll(':', ' :\r\n'),
)

describe("detect's read of canon from its bytes (spans: 'usable')", () => {
  it('reads what the full read reads, or refuses what it refuses, for canon made hostile byte by byte', () => {
    let read = 0
    fc.assert(
      fc.property(base, fc.array(splice, {minLength: 0, maxLength: 3}), fc.constantFrom(64, 5, 4, 3), fc.boolean(), (text, splices, maxDepth, lone) => {
        const bytes = mutate(text, splices)
        const result = same(bytes, {maxDepth, allowLoneSurrogates: lone})
        if (result.ok && scanUsable(bytes, maxDepth)) read++
      }),
      {numRuns: 4000},
    )
    // the byte scan read a good share itself, not only handed everything on
    expect(read).toBeGreaterThan(400)
  })

  it('reads what the full read reads, or refuses what it refuses, for documents of every shape', () => {
    fc.assert(
      fc.property(doc, layout, fc.boolean(), (value, write, lone) => {
        same(write(value), {allowLoneSurrogates: lone})
      }),
      {numRuns: 1500},
    )
  })

  it("extract's check of canon (checkCanonBytes) passes and refuses what the full read does, with its message and code", () => {
    const outcome = (f: () => void) => {
      try {
        f()
        return {ok: true}
      } catch (error) {
        return {ok: false, message: (error as Error).message, code: (error as {code?: unknown}).code}
      }
    }
    let passed = 0
    fc.assert(
      fc.property(base, fc.array(splice, {minLength: 0, maxLength: 3}), fc.constantFrom(64, 5, 4, 3, 2, 1), fc.boolean(), (text, splices, maxDepth, lone) => {
        const bytes = mutate(text, splices)
        const full = outcome(() => {
          const value = parseCanonStrict(bytes, 'lego_baskets.json', {maxDepth, allowLoneSurrogates: lone})
          if (!isObject(value)) throw Object.assign(new Error('not an object'), {code: 'E_INPUT_CANON'})
        })
        const checked = outcome(() => checkCanonBytes(bytes, 'lego_baskets.json', {maxDepth, allowLoneSurrogates: lone}))
        if (full.code === 'E_INPUT_CANON') expect(checked).toMatchObject({ok: false, code: 'E_INPUT_CANON'})
        else expect(checked).toEqual(full)
        if (checked.ok && scanUsable(bytes, maxDepth)) passed++
      }),
      {numRuns: 3000},
    )
    expect(passed).toBeGreaterThan(150)
  })

  it('reads wicker-shaped baskets from the bytes and parses the others', () => {
    const text = JSON.stringify({baskets: {
      S0001L01: {lego: {known: 'mip', target: 'vé'}, practice_phrases: [{known: 'mip', target: 'vé'}], is_final_lego: true, phrase_count: 1},
      S0001L02: {practice_phrases: [['mip', 'vé']]},
      S0001L03: {practice_phrases: [{target: 'vé', known: 'm\\ip'}]},
      S0001L04: {practice_phrases: [], phrase_count: 10.5},
      S0001L05: {practice_phrases: [{known: ' ', target: 'vé'}]},
      S0001L06: {},
      Sé01L07: {practice_phrases: [{known: 'a', target: '\u3000b'}]},
    }})
    expect(same(text).ok).toBe(true)
    expect(byted(text)).toEqual([true, false, false, false, true, true, true])
    // validate's read takes the same baskets itself
    expect(readFromBytes(text, 'phrases')).toEqual(byted(text))
    const scanned = scanUsable(Buffer.from(text, 'utf8'), 64)!
    expect([...scanned.kinds]).toEqual([SHAPED_USABLE, OTHER, OTHER, OTHER, SHAPED_EMPTY, SHAPED_EMPTY, SHAPED_USABLE])
    expect(scanned.ids).toEqual(['S0001L01', 'S0001L02', 'S0001L03', 'S0001L04', 'S0001L05', 'S0001L06', 'Sé01L07'])
    expect(scanned.header).toBe('{"baskets":{}}')
  })

  it('refuses as the full read does, with the same message and code, every kind of refusal', () => {
    const g = '{"lego":{"known":"a","target":"b"},"practice_phrases":[{"known":"a","target":"b"}]}'
    const cases = [
      `{"baskets":{"S0001L01":${g},"S0001L01":${g}}}`,
      `{"baskets":{"S0001L01":{"lego":{"known":"a","known":"b","target":"c"}}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"a","target":"b","target":"c"}]}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[],"practice_phrases":[]}}}`,
      `{"baskets":{"S0001L01":${g}},"baskets":{}}`,
      `{"version":1,"version":2,"baskets":{"S0001L01":${g}}}`,
      `{"baskets":{"S0001L01":${g} "S0001L02":${g}}}`,
      `{"baskets":{"S0001L01":${g},}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"a","target":"b"},]}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"a\nb","target":"b"}]}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"a\tb","target":"b"}]}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"a\u0001b","target":"b"}]}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"a\u001fb","target":"b"}]}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"a\u007fb","target":"b"}]}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"\\ud800","target":"b"}]}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"\\udc00x","target":"b"}]}}}`,
      `{"baskets":{"S\\ud800":${g}}}`,
      `{"meta":"\\ud800","baskets":{"S0001L01":${g}}}`,
      `{"baskets":{"S0001L01":{"phrase_count":12345678901234567890}}}`,
      `{"baskets":{"S0001L01":{"phrase_count":123456789012345}}}`,
      `{"baskets":{"S0001L01":{"phrase_count":1e400}}}`,
      `{"baskets":{"S0001L01":{"phrase_count":01}}}`,
      `{"baskets":{"S0001L01":{"phrase_count":-0}}}`,
      `{"baskets":{"S0001L01":{"is_final_lego":tru}}}`,
      `{"baskets":{"S0001L01":{"is_final_lego":truex}}}`,
      `{"baskets":{"__proto__":${g}}}`,
      `{"baskets":{"constructor":${g}}}`,
      `{"__proto__":1,"baskets":{"S0001L01":${g}}}`,
      `{"baskets":{"S0001L01":{"lego":{"__proto__":"a","target":"b"}}}}`,
      `{"baskets":{"S0001L01":[[[[[[1]]]]]]}}`,
      `{"baskets":{"S0001L01":${g}}}x`,
      `{"baskets":{"S0001L01":${g}}`,
      `{"baskets":{"S0001L01":${g}}} \n\t\r`,
      `{"baskets":{"S0001L01":${g}}}\u00a0`,
      ` {"baskets":{}}`,
      `{"baskets":{}}`,
      `{"baskets":[]}`,
      `{"baskets":null}`,
      `{}`,
      `[]`,
      `{"data":{"S0001L01":${g}}}`,
      `{"bask\\u0065ts":{"S0001L01":${g}}}`,
      `{"baskets":{"S0001\\u004c01":${g}}}`,
      `{"baskets":{"":${g}}}`,
      `{"baskets":{"1":${g},"S0001L01":${g},"0":${g}}}`,
      `{"baskets":{"S0001L01":${g},"0":${g}}}`,
      `{"baskets":{"S0001L01":${g},"9x":${g}}}`,
      `{"meta":"\\"},\\"baskets\\":{","baskets":{"S0001L01":${g}}}`,
      `{"baskets":{"S0001L01":{"lego":{"known":"a","target":"b"},"x":1}}}`,
      `{"baskets":{"S0001L01":{"lego":{"known":"a"}}}}`,
      `{"baskets":{"S0001L01":{"lego":{"known":1,"target":"b"}}}}`,
      `{"metadata":{"total_baskets":9},"baskets":{"S0001L01":${g}},"S0002L01":${g},"seedId":"x"}`,
    ]
    for (const text of cases) {
      for (const lone of [false, true]) for (const maxDepth of [64, 5, 4, 3]) same(text, {allowLoneSurrogates: lone, maxDepth})
    }
    same(Buffer.concat([Buffer.from('{"baskets":{"S0001L01":{"lego":{"known":"'), Buffer.from([0xff]), Buffer.from(`","target":"b"}}}}`)]))
    same(Buffer.concat([Buffer.from('{"baskets":{"S0001L01":{"lego":{"known":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(`","target":"b"}}}}`)]))
    same(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"baskets":{"S0001L01":${g}}}`)]))
    same(`{"baskets":{"S0001L01":${g}},"x":"\u0000"}`)
    same(`{"baskets":{"S0001L01":{"practice_phrases":[{"known":"a\u0000","target":"b"}]}}}`)
  })

  it('tells usable phrases as trim does, for every code point of the BMP and some beyond', () => {
    const chars = Array.from({length: 0x10000}, (_, c) => String.fromCharCode(c)).filter((ch) => !(ch >= '\ud800' && ch <= '\udfff') && ch !== '"' && ch !== '\\' && ch >= ' ')
    chars.push('\u{1f600}', '\u{10ffff}')
    const baskets: Record<string, unknown> = {}
    chars.forEach((ch, i) => {
      baskets[`S${String(i + 1).padStart(5, '0')}L01`] = {practice_phrases: [{known: `${ch} ${ch}`, target: 'vé'}, {known: 'mip', target: ch}]}
    })
    const bytes = Buffer.from(JSON.stringify({baskets}), 'utf8')
    const scanned = scanUsable(bytes, 64)!
    const expected = chars.map((ch) => (ch.trim() === '' ? SHAPED_EMPTY : SHAPED_USABLE))
    expect([...scanned.kinds]).toEqual(expected)
    // and against the full read, for the white space and its neighbours
    const spaces = chars.filter((ch) => ch.trim() === '' || ['a', '\u0085', '\u180e', '\u200b', '\u2027', '\u202a', '\u3001', '\ufefe', '\u{1f600}'].includes(ch))
    const few = Buffer.from(JSON.stringify({baskets: Object.fromEntries(spaces.map((ch, i) => [`S${String(i + 1).padStart(4, '0')}L01`, {practice_phrases: [{known: `${ch}${ch}`, target: 'vé'}]}]))}), 'utf8')
    const read = same(few)
    expect(read.ok && read.canon.baskets.map((b) => b.usable)).toEqual(spaces.map((ch) => ch.trim() !== ''))
  })

  it("tells a tidy target from its bytes only where tidy would give it back, for every code point of the BMP and around spaces", () => {
    const chars = Array.from({length: 0x10000}, (_, c) => String.fromCharCode(c)).filter((ch) => !(ch >= '\ud800' && ch <= '\udfff') && ch >= ' ')
    chars.push('\u{1f600}')
    const texts = chars.flatMap((ch) => [ch, `a${ch}b`, `ab ${ch}`, `${ch}${ch}`])
    texts.push('', ' ', 'a b', 'a  b', ' a', 'a ', 'a\u00a0b', 'e\u0301', '\u02ff\u02ff', 'é ñ ö', 'a b c d')
    let tidyCount = 0
    const wrong: string[] = []
    for (const text of texts) {
      const bytes = Buffer.from(text, 'utf8')
      const told = plainlyTidy(bytes, 0, bytes.length)
      // never a text tidy would change; and every plain one of these: not empty, below U+0300, single spaces inside
      const plain = text !== '' && !/[^\u0000-\u02ff]/.test(text) && tidy(text) === text
      if ((told && tidy(text) !== text) || told !== plain) wrong.push(text)
      if (told) tidyCount++
    }
    expect(wrong).toEqual([])
    expect(tidyCount).toBeGreaterThan(1000)
    // and as the scan records it per phrase
    const canon = {baskets: {S0001L01: {practice_phrases: [{known: 'a', target: 'vé zo'}, {known: 'b', target: ' vé'}, {known: 'c', target: 'e\u0301'}, {known: 'd', target: 'ok'}]}}}
    const scanned = scanUsable(Buffer.from(JSON.stringify(canon), 'utf8'), 64, {spans: true})!
    expect([...scanned.shaped!.tidyTarget]).toEqual([1, 0, 0, 1])
  })
})
