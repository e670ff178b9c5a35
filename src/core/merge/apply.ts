import type {Canon} from '../canon/model.js'
import {sha256} from '../canon/read.js'
import {basketValue, buildCanonDoc, serializeCanon} from '../canon/write.js'
import type {Course} from '../course/model.js'
import {WickerError, EXIT} from '../errors.js'
import type {Plan} from '../preview/plan.js'
import {LEGO_ID} from '../course/model.js'

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
}

export class InvariantError extends WickerError {
  constructor(message: string) {
    super(EXIT.internal, {code: 'E_INVARIANT', message: `merge stopped before writing: ${message}`, hint: 'Canon was not changed. This is a bug in wicker; please report it with the plan file.'})
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
  const total = new Set([...canon.baskets.keys(), ...set.keys()]).size
  const doc = buildCanonDoc(course, canon, {
    set,
    adopted,
    metadata: {total_baskets: total, last_merge: meta.at, last_transaction: meta.tx},
  })
  checkInvariants(course, canon, doc, plan, {added, adopted})
  const bytes = Buffer.from(serializeCanon(doc), 'utf8')
  return {bytes, sha256: sha256(bytes), added, updated, adopted: [...adopted]}
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
  const size = Object.keys(container).length
  const expected = before.baskets.size + changed.added.length + changed.adopted.size
  if (size !== expected) throw new InvariantError(`canon would hold ${size} baskets, not ${before.baskets.size} + ${changed.added.length} added + ${changed.adopted.size} adopted`)
  for (const [key, value] of Object.entries(before.topLevel)) {
    if (key === 'metadata' || (nested && key === head)) continue
    if (doc[key] !== value) throw new InvariantError(`top-level field "${key}" would change`)
  }
  for (const op of plan.ops) {
    const value = container[op.id] as {lego?: {known: string; target: string}; practice_phrases?: Array<{known: string; target: string}>; is_final_lego?: unknown; phrase_count?: unknown} | undefined
    if (!value) throw new InvariantError(`basket ${op.id} of the plan is missing`)
    if (op.op === 'adopt') continue
    const lego = course.legoById.get(op.id)
    if (!LEGO_ID.test(op.id) || !lego) throw new InvariantError(`${op.id} is not a LEGO of the course`)
    const phrases = value.practice_phrases ?? []
    // The plan's phrases were checked against op.hash when it was made or read; here the written ones must be exactly those.
    if (phrases.length !== op.phrases.length || phrases.some((p, i) => p.known !== op.phrases[i]!.known || p.target !== op.phrases[i]!.target)) throw new InvariantError(`basket ${op.id} does not hold the planned phrases`)
    if (phrases.length === 0 || phrases.some((p) => p.known.trim() === '' || p.target.trim() === '')) throw new InvariantError(`basket ${op.id} has an empty phrase`)
    if (value.is_final_lego !== lego.isFinal || value.phrase_count !== phrases.length) throw new InvariantError(`basket ${op.id} has wrong derived fields`)
    if (value.lego?.target !== lego.target || value.lego?.known !== lego.known) throw new InvariantError(`basket ${op.id} has LEGO text that is not lego_pairs'`)
  }
}
