import {expect} from 'vitest'

import {ByteBasket} from '../../src/core/canon/byte-basket.js'
import {hasUsable, isUsable, type Canon} from '../../src/core/canon/model.js'
import {canonFromBytes, covers} from '../../src/core/canon/read.js'

/**
 * The reads of canon from its bytes (spans: 'usable' for detect and preview, 'phrases' for validate
 * and the report, canon/usable-scan.ts) against the full read, which stays the oracle: the same
 * baskets (every field, read from the bytes when asked, raw included), strays, metadata, top level,
 * findings and hash, or the same refusal with the same message and code.
 */
export type Read = {ok: true; canon: ReturnType<typeof view>} | {ok: false; message: string; code: unknown}

type ReadOptions = {maxDepth?: number; allowLoneSurrogates?: boolean}

function view(canon: Canon) {
  const basket = (b: Canon['baskets'] extends ReadonlyMap<string, infer B> ? B : never) => ({id: b.id, location: b.location, lego: b.lego, phrases: b.phrases, isFinalLego: b.isFinalLego, phraseCount: b.phraseCount, raw: b.raw, usable: hasUsable(b), someUsable: b.phrases.some(isUsable)})
  return {
    container: canon.container,
    containerPath: canon.containerPath,
    ids: [...canon.baskets.keys()],
    baskets: [...canon.baskets.values()].map(basket),
    strays: [...canon.strays.values()].map(basket),
    metadata: canon.metadata,
    topLevel: canon.topLevel,
    findings: canon.findings,
    sha256: canon.sha256,
    covers: [...canon.baskets.keys()].map((id) => covers(canon, id)),
  }
}

function readWith(bytes: Buffer, options: ReadOptions & {spans?: 'usable' | 'phrases'}): Read {
  try {
    return {ok: true, canon: view(canonFromBytes(bytes, 'lego_baskets.json', 'sha', null, options))}
  } catch (error) {
    return {ok: false, message: (error as Error).message, code: (error as {code?: unknown}).code}
  }
}

/** Both byte reads of a document give what the full read gives (asserted); that read. */
export function sameAsFullRead(input: string | Buffer, options: ReadOptions = {}): Read {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
  const full = readWith(bytes, options)
  expect(readWith(bytes, {...options, spans: 'usable'})).toEqual(full)
  // validate's and the report's read: each basket's texts and fields decoded from the spans the scan kept
  expect(readWith(bytes, {...options, spans: 'phrases'})).toEqual(full)
  return full
}

/** Per basket, whether the byte read read it itself (a ByteBasket) or handed it to the parse. */
export function readFromBytes(text: string, spans: 'usable' | 'phrases'): boolean[] {
  return [...canonFromBytes(Buffer.from(text, 'utf8'), 'lego_baskets.json', 'sha', null, {spans}).baskets.values()].map((b) => b instanceof ByteBasket)
}
