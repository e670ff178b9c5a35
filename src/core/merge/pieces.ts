import {memberText} from '../canon/layout.js'

/**
 * The bytes merge writes, gathered as pieces (text, or bytes copied through from canon) and laid
 * into one buffer once: no buffer per basket, no concatenation of a hundred thousand of them, and
 * the place of every piece known, so the invariant checks can find each written basket where it
 * was put.
 */
export class Pieces {
  readonly #parts: Array<string | Uint8Array> = []

  /** Adds a piece; returns its number (for `at`). */
  add(part: string | Uint8Array): number {
    this.#parts.push(part)
    return this.#parts.length - 1
  }

  /** The pieces joined as bytes (strings as UTF-8), and each piece's [start, end) in them. */
  join(): {bytes: Buffer; at: (piece: number) => {start: number; end: number}} {
    const parts = this.#parts
    const lengths = new Array<number>(parts.length)
    let total = 0
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!
      total += lengths[i] = typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : part.length
    }
    const bytes = Buffer.allocUnsafe(total)
    const starts = new Array<number>(parts.length)
    let at = 0
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!
      starts[i] = at
      const wrote = typeof part === 'string' ? bytes.write(part, at, 'utf8') : (bytes.set(part, at), part.length)
      // a short write would leave bytes unset: never, as the length was measured, but never silently
      if (wrote !== lengths[i]) throw new Error(`piece ${i}: ${wrote} bytes written, ${lengths[i]} measured`)
      at += wrote
    }
    return {bytes, at: (piece) => ({start: starts[piece]!, end: starts[piece]! + lengths[piece]!})}
  }
}

/**
 * `${JSON.stringify(doc, null, 2)}\n` as pieces, with each member of the object at `container`
 * (a top-level key) its own piece, written by memberText (which a property test holds to the
 * general way). The same keys in the same order as JSON.stringify takes them (Object.keys: integer
 * keys first), members it leaves out (undefined, functions) left out. Null when the document is not a plain
 * object of that kind (the caller serialises it the general way).
 */
export function canonPieces(doc: Record<string, unknown>, container: string): Pieces | null {
  const value = doc[container]
  if (typeof value !== 'object' || value === null || Array.isArray(value) || hasToJson(doc) || hasToJson(value)) return null
  const pieces = new Pieces()
  const keys = Object.keys(doc).filter((k) => !omitted(doc[k]))
  if (keys.length === 0) return null
  let head = '{\n'
  for (const [i, key] of keys.entries()) {
    head += `${i === 0 ? '' : ',\n'}  ${JSON.stringify(key)}: `
    if (key !== container) {
      head += (JSON.stringify(doc[key], null, 2) as string).replaceAll('\n', '\n  ')
      continue
    }
    const baskets = value as Record<string, unknown>
    const ids = Object.keys(baskets).filter((id) => !omitted(baskets[id]))
    if (ids.length === 0) {
      head += '{}'
      continue
    }
    pieces.add(`${head}{\n`)
    head = ''
    for (const [j, id] of ids.entries()) {
      if (j > 0) pieces.add(',\n')
      pieces.add(memberText(id, baskets[id]))
    }
    head = '\n  }'
  }
  pieces.add(`${head}\n}\n`)
  return pieces
}

/** A member JSON.stringify leaves out of an object. */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol'
}

/** An object JSON.stringify would not serialise by its keys (a toJSON method). */
function hasToJson(value: object): boolean {
  return typeof (value as {toJSON?: unknown}).toJSON === 'function'
}
