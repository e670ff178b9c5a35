import type {Canon} from '../canon/model.js'
import {readCanonValue, sha256} from '../canon/read.js'
import {basketValue, buildCanonDoc, serializeCanon} from '../canon/write.js'
import type {Course} from '../course/model.js'
import {WickerError, EXIT} from '../errors.js'
import {canonBasketHash, type Plan} from '../preview/plan.js'
import {LEGO_ID} from '../course/model.js'

/**
 * A plan applied to canon in memory, and the invariants checked before anything is written:
 * untouched baskets byte-identical, counts adding up, every written basket exactly what the plan
 * says, with its id, LEGO text and derived fields right. Content checks (GATE…) belong to
 * validate, and problems already in canon never block a merge.
 */
export interface Applied {
  text: string
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
  const text = serializeCanon(doc)
  checkInvariants(course, canon, text, plan, {added, updated, adopted: [...adopted]})
  return {text, sha256: sha256(text), added, updated, adopted: [...adopted]}
}

function checkInvariants(course: Course, before: Canon, text: string, plan: Plan, changed: {added: string[]; updated: string[]; adopted: string[]}): void {
  const after = readCanonValue(JSON.parse(text), before.file, null)
  const touched = new Set(plan.ops.map((o) => o.id))
  for (const [id, basket] of before.baskets) {
    const now = after.baskets.get(id)
    if (!now) throw new InvariantError(`basket ${id} would be lost`)
    if (!touched.has(id) && JSON.stringify(now.raw) !== JSON.stringify(basket.raw)) throw new InvariantError(`basket ${id} would change without being in the plan`)
  }
  for (const [id, stray] of before.strays) {
    if (changed.adopted.includes(id)) continue
    const now = after.strays.get(id)
    if (!now || JSON.stringify(now.raw) !== JSON.stringify(stray.raw)) throw new InvariantError(`top-level basket ${id} would change`)
  }
  const expected = before.baskets.size + changed.added.length + changed.adopted.length
  if (after.baskets.size !== expected) throw new InvariantError(`canon would hold ${after.baskets.size} baskets, not ${before.baskets.size} + ${changed.added.length} added + ${changed.adopted.length} adopted`)
  for (const key of Object.keys(before.topLevel)) {
    if (key === 'metadata') continue
    if (JSON.stringify(after.topLevel[key]) !== JSON.stringify(before.topLevel[key]) && !(before.containerPath.length === 2 && key === before.containerPath[0])) throw new InvariantError(`top-level field "${key}" would change`)
  }
  for (const op of plan.ops) {
    const basket = after.baskets.get(op.id)
    if (!basket) throw new InvariantError(`basket ${op.id} of the plan is missing`)
    if (op.op === 'adopt') continue
    const lego = course.legoById.get(op.id)
    if (!LEGO_ID.test(op.id) || !lego) throw new InvariantError(`${op.id} is not a LEGO of the course`)
    if (canonBasketHash(basket) !== op.hash) throw new InvariantError(`basket ${op.id} does not hold the planned phrases`)
    if (basket.phrases.length === 0 || basket.phrases.some((p) => !p || p.known.trim() === '' || p.target.trim() === '')) throw new InvariantError(`basket ${op.id} has an empty phrase`)
    if (basket.isFinalLego !== lego.isFinal || basket.phraseCount !== basket.phrases.length) throw new InvariantError(`basket ${op.id} has wrong derived fields`)
    if (basket.lego?.target !== lego.target || basket.lego?.known !== lego.known) throw new InvariantError(`basket ${op.id} has LEGO text that is not lego_pairs'`)
  }
}
