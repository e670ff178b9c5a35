import type {Course, Lego, TextPair} from '../course/model.js'
import type {Canon} from './model.js'

/**
 * Canon is written deterministically: fixed top-level key order, baskets in course order, 2-space
 * indent, trailing newline. Baskets a merge does not touch are written back exactly as they were
 * read. Objects are built without a prototype, so no key from a file can reach Object.prototype.
 */
export interface CanonEdit {
  /** baskets to write under the container, by id (new, updated or adopted) */
  set: Map<string, unknown>
  /** strays moved into the container, removed from the top level */
  adopted: Set<string>
  /** merged into metadata */
  metadata: Record<string, unknown>
}

const TOP_ORDER = ['$schema', 'version', 'course', 'metadata']

function bare(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>
}

/** The basket shape wicker writes: LEGO text from lego_pairs, derived fields computed. */
export function basketValue(lego: Lego, phrases: TextPair[]): Record<string, unknown> {
  const out = bare()
  out.lego = {known: lego.known, target: lego.target}
  out.practice_phrases = phrases.map((p) => ({known: p.known, target: p.target}))
  out.is_final_lego = lego.isFinal
  out.phrase_count = phrases.length
  return out
}

/** Where a basket goes in canon: its LEGO's place in the course; ids the course does not know go last. */
export function courseRank(course: Course): (id: string) => number {
  let rank = ranks.get(course)
  if (!rank) {
    const order = new Map(course.legos.map((l, i) => [l.id, i]))
    rank = (id) => order.get(id) ?? Number.MAX_SAFE_INTEGER
    ranks.set(course, rank)
  }
  return rank
}
/** one order per course: a merge asks for it three times, and 100,000 LEGOs are worth mapping once */
const ranks = new WeakMap<Course, (id: string) => number>()

export function buildCanonDoc(course: Course, canon: Canon, edit: CanonEdit): Record<string, unknown> {
  const baskets = bare()
  const rank = courseRank(course)
  const ids = new Set<string>([...canon.baskets.keys(), ...edit.set.keys()])
  // a stable sort: ids of equal rank keep the order they were in
  const sorted = [...ids].sort((a, b) => rank(a) - rank(b))
  for (const id of sorted) baskets[id] = edit.set.has(id) ? edit.set.get(id) : canon.baskets.get(id)!.raw

  const doc = bare()
  const top = canon.topLevel
  for (const key of TOP_ORDER) {
    if (key === 'metadata') {
      const metadata = bare()
      for (const [k, v] of Object.entries(canon.metadata ?? {})) metadata[k] = v
      for (const [k, v] of Object.entries(edit.metadata)) metadata[k] = v
      doc.metadata = metadata
    } else if (Object.hasOwn(top, key)) doc[key] = top[key]
  }
  const [head, nested] = canon.containerPath
  for (const [key, value] of Object.entries(top)) {
    if (TOP_ORDER.includes(key) || key === head) continue
    doc[key] = value
  }
  for (const [id, stray] of canon.strays) if (!edit.adopted.has(id)) doc[id] = stray.raw
  if (nested) {
    const wrapper = bare()
    for (const [k, v] of Object.entries((top[head!] as Record<string, unknown> | undefined) ?? {})) wrapper[k] = k === nested ? baskets : v
    wrapper[nested] = baskets
    doc[head!] = wrapper
  } else doc[head ?? 'baskets'] = baskets
  return doc
}

export function serializeCanon(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`
}
