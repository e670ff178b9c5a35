import {CONTAINER_CLOSE, headerText, MEMBER_SEPARATOR, memberText, scanLayout, type CanonLayout} from '../canon/layout.js'
import {ByteBasket} from '../canon/byte-basket.js'
import {isUsable, type Canon} from '../canon/model.js'
import {ByteSink, reindent, sameTokens} from '../canon/reindent.js'
import {covers, readCanonValue} from '../canon/read.js'
import {basketValue, buildCanonDoc, courseRank, serializeCanon, type CanonEdit} from '../canon/write.js'
import type {Course} from '../course/model.js'
import {sha256Hex} from '../hash.js'
import {parseJsonOf} from '../store/read-json.js'
import {WickerError, EXIT} from '../errors.js'
import type {Plan} from '../preview/plan.js'
import {LEGO_ID} from '../ids.js'
import {reportBugHint} from '../bug-report.js'

/**
 * A plan applied to canon in memory, and the invariants checked before anything is written:
 * untouched baskets byte-identical, counts adding up, every written basket exactly what the plan
 * says, with its id, LEGO text and derived fields right. Content checks (GATE…) belong to
 * validate, and problems already in canon never block a merge.
 */
export interface Applied {
  bytes: Buffer
  sha256: string
  added: string[]
  updated: string[]
  adopted: string[]
  /** baskets in canon after, and those without a usable phrase (for the canon index) */
  baskets: number
  uncovered: string[]
  /** how it was written: untouched baskets' bytes spliced through, or the whole document serialised */
  written: 'spliced' | 'serialised'
  /** serialised from the bytes a scan read (reindent.ts) rather than from parsed baskets: the same bytes */
  fromBytes: boolean
}

export class InvariantError extends WickerError {
  constructor(message: string) {
    super(EXIT.internal, {code: 'E_INVARIANT', message: `merge stopped before writing: ${message}`, hint: `Canon was not changed. ${reportBugHint('the plan file')}`})
  }
}

export function applyPlan(course: Course, canon: Canon, plan: Plan, meta: {tx: string; at: string}): Applied {
  const set = new Map<string, unknown>()
  const adopted = new Set<string>()
  const added: string[] = []
  const updated: string[] = []
  for (const op of plan.ops) {
    if (op.op === 'adopt') {
      set.set(op.id, canon.strays.get(op.id)!.raw)
      adopted.add(op.id)
      continue
    }
    set.set(op.id, basketValue(course.legoById.get(op.id)!, op.phrases))
    ;(canon.baskets.has(op.id) ? updated : added).push(op.id)
  }
  const total = canon.baskets.size + added.length + adopted.size
  const edit: CanonEdit = {set, adopted, metadata: {total_baskets: total, last_merge: meta.at, last_transaction: meta.tx}}
  const changed = {added, adopted}

  const spliced = canon.layout ? splice(course, canon, canon.layout, edit) : null
  const rewritten = spliced ? null : reindented(course, canon, edit)
  // bytes written from the scan's that do not read back by wicker's layout are written the general way
  const rewrittenLayout = rewritten ? scanLayout(rewritten.bytes) : null
  let bytes: Buffer
  if (spliced) {
    checkSplice(course, canon, layoutBefore(canon.layout!), spliced, scanLayout(spliced.bytes), plan, edit, changed)
    bytes = spliced.bytes
  } else if (rewritten && rewrittenLayout) {
    checkSplice(course, canon, bytesBefore(canon), rewritten, rewrittenLayout, plan, edit, changed)
    bytes = rewritten.bytes
  } else {
    const doc = buildCanonDoc(course, canon, edit)
    checkInvariants(course, canon, doc, plan, changed)
    bytes = Buffer.from(serializeCanon(doc), 'utf8')
  }
  // a document written from the scan's bytes is serialised whole all the same (the same bytes)
  const written = spliced ? 'spliced' : 'serialised'
  const touched = new Set(plan.ops.map((o) => o.id))
  const uncovered = [...canon.baskets.keys()].filter((id) => !touched.has(id) && !covers(canon, id))
  for (const op of plan.ops) if (!op.phrases.some(isUsable)) uncovered.push(op.id)
  return {bytes, sha256: sha256Hex(bytes), added, updated, adopted: [...adopted], baskets: total, uncovered, written, fromBytes: !spliced && rewrittenLayout !== null}
}

/** Keys V8 enumerates before all others, whatever their insertion order: a canon with one is written the slow way. */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/

/**
 * The plan applied to bytes wicker wrote: untouched baskets are copied through byte for byte, new
 * and changed ones serialised in their place, the rest of the document serialised anew. The result
 * is exactly what serialising the whole document gives (a property test holds the two to it), or
 * null where that cannot be promised (adoption, baskets out of course order, integer-like keys).
 */
function splice(course: Course, canon: Canon, layout: CanonLayout, edit: CanonEdit): {bytes: Buffer; members: Map<string, Buffer>} | null {
  if (edit.adopted.size > 0) return null
  const rank = courseRank(course)
  // each id's rank looked up once (the merge below compares them again and again)
  const spanRank = new Float64Array(layout.spans.length)
  let last = -1
  for (const [k, span] of layout.spans.entries()) {
    const r = rank(span.id)
    if (r < last || ARRAY_INDEX.test(span.id)) return null
    spanRank[k] = last = r
  }
  const unsorted = [...edit.set.keys()].filter((id) => !canon.baskets.has(id))
  if (unsorted.some((id) => ARRAY_INDEX.test(id))) return null
  // a stable sort by rank, each rank looked up once
  const order = unsorted.map((id, k) => ({id, r: rank(id), k})).sort((a, b) => a.r - b.r || a.k - b.k)
  const added = order.map((o) => o.id)
  const addedRank = order.map((o) => o.r)

  const rest = serializeCanon(buildCanonDoc(course, {...canon, baskets: new Map()}, {...edit, set: new Map()}))
  const EMPTY = '"baskets": {}\n}\n'
  if (!rest.endsWith(EMPTY)) return null
  const parts: Buffer[] = [Buffer.from(`${rest.slice(0, -EMPTY.length)}"baskets": {\n`)]
  const separator = Buffer.from(MEMBER_SEPARATOR)
  const spans = layout.spans
  /** the bytes written for each basket the plan sets */
  const members = new Map<string, Buffer>()
  const member = (id: string, value: unknown) => {
    const bytes = Buffer.from(memberText(id, value))
    members.set(id, bytes)
    return bytes
  }
  // Untouched baskets next to each other in canon are one stretch of bytes (separators included), copied as one piece.
  let run: {start: number; end: number} | null = null
  let count = 0
  const flush = () => {
    if (run) parts.push(layout.bytes.subarray(run.start, run.end))
    run = null
  }
  const next = () => {
    flush()
    if (count++ > 0) parts.push(separator)
  }
  let i = 0
  let j = 0
  while (i < spans.length || j < added.length) {
    // the merge of a stable sort: of equal rank, what canon held comes first
    if (j >= added.length || (i < spans.length && spanRank[i]! <= addedRank[j]!)) {
      const span = spans[i++]!
      const value = edit.set.get(span.id)
      if (value !== undefined) {
        next()
        parts.push(member(span.id, value))
      } else if (run) run.end = span.end
      else {
        next()
        run = {start: span.start, end: span.end}
      }
    } else {
      const id = added[j++]!
      next()
      parts.push(member(id, edit.set.get(id)))
    }
  }
  flush()
  parts.push(Buffer.from(CONTAINER_CLOSE))
  return {bytes: Buffer.concat(parts), members}
}

/**
 * The whole document written as serialising it writes it (the same bytes: a property test holds the
 * two to it), for a canon read by one scan of its bytes (a first merge into another tool's canon):
 * each untouched basket is written from its bytes by reindent.ts (or, where that cannot promise
 * stringify's text, from its value), not parsed into objects and stringified again. Null, and the
 * general way, for anything else: a basket the scan did not read itself, adoption, integer-like
 * keys, baskets not the document's last member.
 */
function reindented(course: Course, canon: Canon, edit: CanonEdit): {bytes: Buffer; members: Map<string, Buffer>} | null {
  if (edit.adopted.size > 0 || canon.baskets.size === 0) return null
  let size = 0
  for (const basket of canon.baskets.values()) {
    if (!(basket instanceof ByteBasket)) return null
    size += basket.end - basket.start
  }
  const ids = [...new Set<string>([...canon.baskets.keys(), ...edit.set.keys()])]
  if (ids.some((id) => ARRAY_INDEX.test(id))) return null
  const rank = courseRank(course)
  // a stable sort, as buildCanonDoc's: ids of equal rank keep the order they were in (each rank looked up once)
  const ranked = ids.map((id, k) => ({id, r: rank(id), k})).sort((a, b) => a.r - b.r || a.k - b.k)
  for (const [k, {id}] of ranked.entries()) ids[k] = id
  const rest = serializeCanon(buildCanonDoc(course, {...canon, baskets: new Map()}, {...edit, set: new Map()}))
  const EMPTY = '"baskets": {}\n}\n'
  if (!rest.endsWith(EMPTY)) return null
  const out = new ByteSink(size + (size >> 2) + rest.length)
  out.text(`${rest.slice(0, -EMPTY.length)}"baskets": {\n`)
  const members = new Map<string, Buffer>()
  for (const [k, id] of ids.entries()) {
    if (k > 0) out.text(MEMBER_SEPARATOR)
    const value = edit.set.get(id)
    if (value !== undefined) {
      const bytes = Buffer.from(memberText(id, value))
      members.set(id, bytes)
      out.bytes(bytes, 0, bytes.length)
      continue
    }
    const basket = canon.baskets.get(id) as ByteBasket
    const mark = out.length
    out.text(`    ${JSON.stringify(id)}: `)
    if (reindent(basket.bytes, basket.start, basket.end, 2, out) < 0) {
      out.length = mark
      out.text(memberText(id, basket.raw))
    }
  }
  out.text(CONTAINER_CLOSE)
  // copied out of the sink's larger buffer: the canon written is not held beside its slack
  return {bytes: Buffer.from(out.result()), members}
}

/** What checkSplice compares an untouched basket with: the canon before, by id. */
interface Before {
  ids: ReadonlySet<string>
  /** whether the bytes at [start, end) of `after` hold basket `id` as it was */
  same(id: string, after: Buffer, start: number, end: number): boolean
}

/** Spliced: each untouched basket's bytes are those of the canon before, exactly. */
function layoutBefore(layout: CanonLayout): Before {
  const old = new Map(layout.spans.map((s) => [s.id, s]))
  return {
    ids: new Set(old.keys()),
    same: (id, after, start, end) => {
      const was = old.get(id)!
      return after.compare(layout.bytes, was.start, was.end, start, end) === 0
    },
  }
}

/** Written from a scan's bytes: each untouched basket's member holds the same tokens as its value did. */
function bytesBefore(canon: Canon): Before {
  return {
    ids: new Set(canon.baskets.keys()),
    same: (id, after, start, end) => {
      const basket = canon.baskets.get(id) as ByteBasket
      // the member: `    "ID": value`; its value starts after the key's closing quote and colon
      const colon = after.indexOf(0x3a, start + 4 + Buffer.byteLength(JSON.stringify(id)))
      return colon >= 0 && colon < end && sameTokens(basket.bytes, basket.start, basket.end, after, colon + 1, end)
    },
  }
}

/**
 * The invariants, checked on the spliced bytes themselves: they read back by the same layout,
 * every untouched basket's bytes are those read and every written basket's those serialised for
 * it, in its place; nothing is lost or added beyond the plan; the rest of the document is unchanged
 * but for metadata; and every written basket is what the plan says.
 */
function checkSplice(course: Course, canon: Canon, before: Before, spliced: {bytes: Buffer; members: Map<string, Buffer>}, after: CanonLayout | null, plan: Plan, edit: CanonEdit, changed: {added: string[]; adopted: Set<string>}): void {
  const {bytes, members} = spliced
  if (!after) throw new InvariantError('the canon written would not read back by its own layout')
  const touched = new Set(plan.ops.map((o) => o.id))
  const now = new Set(after.spans.map((s) => s.id))
  for (const id of before.ids) if (!now.has(id)) throw new InvariantError(`basket ${id} would be lost`)
  for (const span of after.spans) {
    const member = members.get(span.id)
    if (touched.has(span.id)) {
      if (!member || bytes.compare(member, 0, member.length, span.start, span.end) !== 0) throw new InvariantError(`basket ${span.id} would not be written as planned`)
    } else if (!before.ids.has(span.id)) throw new InvariantError(`basket ${span.id} would appear without being in the plan`)
    else if (!before.same(span.id, bytes, span.start, span.end)) throw new InvariantError(`basket ${span.id} would change without being in the plan`)
  }
  for (const op of plan.ops) {
    if (!now.has(op.id)) throw new InvariantError(`basket ${op.id} of the plan is missing`)
    checkWritten(course, op, edit.set.get(op.id))
  }
  checkCount(after.spans.length, before.ids.size, changed)
  const rest = readCanonValue(parseJsonOf(headerText(after), canon.file, 'Canon'), canon.file, null)
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  for (const key of new Set([...Object.keys(canon.topLevel), ...Object.keys(rest.topLevel)])) {
    if (key !== 'metadata' && key !== 'baskets' && !same(canon.topLevel[key], rest.topLevel[key])) throw new InvariantError(`top-level field "${key}" would change`)
  }
  for (const id of new Set([...canon.strays.keys(), ...rest.strays.keys()])) {
    if (!same(canon.strays.get(id)?.raw, rest.strays.get(id)?.raw)) throw new InvariantError(`top-level basket ${id} would change`)
  }
}

/**
 * Checked on the document about to be serialised. Untouched baskets must be the very values that
 * were read (so they serialise to the same bytes); what is written is then verified on disk by
 * reading it back and comparing its hash.
 */
function checkInvariants(course: Course, before: Canon, doc: Record<string, unknown>, plan: Plan, changed: {added: string[]; adopted: Set<string>}): void {
  const [head, nested] = before.containerPath
  const container = (nested ? (doc[head!] as Record<string, unknown>)[nested] : doc[head!]) as Record<string, unknown>
  const touched = new Set(plan.ops.map((o) => o.id))
  for (const [id, basket] of before.baskets) {
    if (!Object.hasOwn(container, id)) throw new InvariantError(`basket ${id} would be lost`)
    if (!touched.has(id) && container[id] !== basket.raw) throw new InvariantError(`basket ${id} would change without being in the plan`)
  }
  for (const [id, stray] of before.strays) {
    if (changed.adopted.has(id)) {
      if (Object.hasOwn(doc, id)) throw new InvariantError(`adopted basket ${id} would stay at the top level`)
    } else if (doc[id] !== stray.raw) throw new InvariantError(`top-level basket ${id} would change`)
  }
  checkCount(Object.keys(container).length, before.baskets.size, changed)
  for (const [key, value] of Object.entries(before.topLevel)) {
    if (key === 'metadata' || (nested && key === head)) continue
    if (doc[key] !== value) throw new InvariantError(`top-level field "${key}" would change`)
  }
  for (const op of plan.ops) {
    if (!Object.hasOwn(container, op.id)) throw new InvariantError(`basket ${op.id} of the plan is missing`)
    checkWritten(course, op, container[op.id])
  }
}

/** Baskets after = baskets before + added + adopted. */
function checkCount(size: number, before: number, changed: {added: string[]; adopted: Set<string>}): void {
  if (size !== before + changed.added.length + changed.adopted.size) throw new InvariantError(`canon would hold ${size} baskets, not ${before} + ${changed.added.length} added + ${changed.adopted.size} adopted`)
}

/** A basket the plan writes: exactly the planned phrases, none empty, its id, LEGO text and derived fields right. */
function checkWritten(course: Course, op: Plan['ops'][number], written: unknown): void {
  const value = written as {lego?: {known: string; target: string}; practice_phrases?: Array<{known: string; target: string}>; is_final_lego?: unknown; phrase_count?: unknown} | undefined
  if (!value) throw new InvariantError(`basket ${op.id} of the plan is missing`)
  if (op.op === 'adopt') return
  const lego = course.legoById.get(op.id)
  if (!LEGO_ID.test(op.id) || !lego) throw new InvariantError(`${op.id} is not a LEGO of the course`)
  const phrases = value.practice_phrases ?? []
  // The plan's phrases were checked against op.hash when it was made or read; here the written ones must be exactly those.
  if (phrases.length !== op.phrases.length || phrases.some((p, i) => p.known !== op.phrases[i]!.known || p.target !== op.phrases[i]!.target)) throw new InvariantError(`basket ${op.id} does not hold the planned phrases`)
  if (phrases.length === 0 || phrases.some((p) => p.known.trim() === '' || p.target.trim() === '')) throw new InvariantError(`basket ${op.id} has an empty phrase`)
  if (value.is_final_lego !== lego.isFinal || value.phrase_count !== phrases.length) throw new InvariantError(`basket ${op.id} has wrong derived fields`)
  if (value.lego?.target !== lego.target || value.lego?.known !== lego.known) throw new InvariantError(`basket ${op.id} has LEGO text that is not lego_pairs'`)
}
