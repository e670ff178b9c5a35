import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {canonFromBytes, covers} from '../../../src/core/canon/read.js'
import {hasUsable, isUsable, type Canon} from '../../../src/core/canon/model.js'
import {ByteBasket} from '../../../src/core/canon/byte-basket.js'

/**
 * The reads of commands that only read canon, from its bytes (spans: 'usable' for detect and
 * preview, 'phrases' for validate and the report, canon/usable-scan.ts), against the full read,
 * which stays the oracle: the same baskets (every field, raw included), strays, metadata, top level
 * and findings, or the same refusal, for documents of every shape the scan reads itself or hands on.
 */
type Read = {ok: true; canon: ReturnType<typeof view>} | {ok: false; message: string}

function view(canon: Canon) {
  const basket = (b: Canon['baskets'] extends ReadonlyMap<string, infer B> ? B : never) => ({id: b.id, location: b.location, lego: b.lego, phrases: b.phrases, isFinalLego: b.isFinalLego, phraseCount: b.phraseCount, raw: b.raw, usable: hasUsable(b), someUsable: b.phrases.some(isUsable)})
  return {
    container: canon.container,
    containerPath: canon.containerPath,
    baskets: [...canon.baskets.values()].map(basket),
    strays: [...canon.strays.values()].map(basket),
    metadata: canon.metadata,
    topLevel: canon.topLevel,
    findings: canon.findings,
    sha256: canon.sha256,
    covers: [...canon.baskets.keys()].map((id) => covers(canon, id)),
  }
}

function readWith(text: string | Buffer, options: {spans?: 'usable' | 'phrases'; allowLoneSurrogates?: boolean; maxDepth?: number}): Read {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
  try {
    return {ok: true, canon: view(canonFromBytes(bytes, 'lego_baskets.json', 'sha', null, options))}
  } catch (error) {
    return {ok: false, message: (error as Error).message}
  }
}

function same(text: string | Buffer, options: {allowLoneSurrogates?: boolean; maxDepth?: number} = {}): Read {
  const full = readWith(text, options)
  const phrases = readWith(text, {...options, spans: 'phrases'})
  expect(phrases).toEqual(full)
  expect(readWith(text, {...options, spans: 'usable'})).toEqual(full)
  return phrases
}

const spanned = (text: string) => {
  const canon = canonFromBytes(Buffer.from(text, 'utf8'), 'lego_baskets.json', 'sha', null, {spans: 'phrases'})
  return [...canon.baskets.values()].map((b) => b instanceof ByteBasket)
}

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

describe('reading canon from its bytes, for documents of every shape (validate, detect, report, preview)', () => {
  it('reads what the full read reads, or refuses what it refuses, for documents of every shape', () => {
    fc.assert(
      fc.property(doc, layout, fc.boolean(), (value, write, lone) => {
        same(write(value), {allowLoneSurrogates: lone})
      }),
      {numRuns: 1500},
    )
  })

  it('keeps the phrases of wicker-shaped baskets as spans of the bytes, and parses the others', () => {
    const text = JSON.stringify({baskets: {
      S0001L01: {lego: {known: 'mip', target: 'vé'}, practice_phrases: [{known: 'mip', target: 'vé'}], is_final_lego: true, phrase_count: 1},
      S0001L02: {practice_phrases: [['mip', 'vé']]},
      S0001L03: {practice_phrases: [{target: 'vé', known: 'm\\ip'}]},
      S0001L04: {practice_phrases: [], phrase_count: 10.5},
    }})
    expect(same(text).ok).toBe(true)
    expect(spanned(text)).toEqual([true, false, false, false])
  })

  it('refuses as the full read does: duplicate keys, bad JSON, lone surrogates, deep nesting, unsafe numbers, prototype keys', () => {
    const good = '{"lego":{"known":"a","target":"b"},"practice_phrases":[{"known":"a","target":"b"}]}'
    const cases = [
      `{"baskets":{"S0001L01":${good},"S0001L01":${good}}}`,
      `{"baskets":{"S0001L01":{"lego":{"known":"a","known":"b","target":"c"}}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"a","target":"b","target":"c"}]}}}`,
      `{"baskets":{"S0001L01":${good}},"baskets":{}}`,
      `{"baskets":{"S0001L01":${good} "S0001L02":${good}}}`,
      `{"baskets":{"S0001L01":${good},}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"a","target":"b"},]}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"a\nb","target":"b"}]}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"a\u0001b","target":"b"}]}}}`,
      `{"baskets":{"S0001L01":{"practice_phrases":[{"known":"\\ud800","target":"b"}]}}}`,
      `{"baskets":{"S0001L01":{"phrase_count":12345678901234567890}}}`,
      `{"baskets":{"S0001L01":{"phrase_count":01}}}`,
      `{"baskets":{"S0001L01":{"is_final_lego":tru}}}`,
      `{"baskets":{"__proto__":${good}}}`,
      `{"baskets":{"S0001L01":{"lego":{"__proto__":"a","target":"b"}}}}`,
      `{"baskets":{"S0001L01":[[[[[[1]]]]]]}}`,
      `{"baskets":{"S0001L01":${good}}}x`,
      `{"baskets":{"S0001L01":${good}}`,
      `{"baskets":{"S0001L01":${good}}} `,
      ` {"baskets":{}}`,
      `{"baskets":{}}`,
      `{"baskets":[]}`,
      `{"data":{"S0001L01":${good}}}`,
      `{"bask\\u0065ts":{"S0001L01":${good}}}`,
      `{"baskets":{"S0001\\u004c01":${good}}}`,
      `{"baskets":{"1":${good},"S0001L01":${good},"0":${good}}}`,
      `{"meta":"\\"},\\"baskets\\":{","baskets":{"S0001L01":${good}}}`,
    ]
    for (const text of cases) {
      for (const lone of [false, true]) for (const maxDepth of [64, 5, 4, 3]) same(text, {allowLoneSurrogates: lone, maxDepth})
    }
    // bytes that are not UTF-8, a BOM, a NUL
    same(Buffer.concat([Buffer.from('{"baskets":{"S0001L01":{"lego":{"known":"'), Buffer.from([0xff]), Buffer.from(`","target":"b"}}}}`)]))
    same(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"baskets":{"S0001L01":${good}}}`)]))
    same(`{"baskets":{"S0001L01":${good}},"x":"\u0000"}`)
  })

  it('tells usable phrases as trim does, for every white space character', () => {
    const spaces = Array.from({length: 0x10000}, (_, c) => String.fromCharCode(c)).filter((ch) => ch.trim() === '' && !(ch >= '\ud800' && ch <= '\udfff'))
    for (const ch of [...spaces, 'a', '\u180e', '\u200b']) {
      const text = JSON.stringify({baskets: {S0001L01: {practice_phrases: [{known: `${ch}${ch}`, target: 'vé'}]}}})
      const read = same(text)
      expect(read.ok && read.canon.baskets[0]!.usable).toBe(ch.trim() !== '')
    }
  })
})
