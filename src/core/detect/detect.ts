import {hasUsable, type Canon} from '../canon/model.js'
import {covers, LazyBaskets} from '../canon/read.js'
import type {Course, LegoPairsShape, OrientationDecision} from '../course/model.js'
import type {MissingLego} from '../schemas/manifest.js'

/**
 * Which new LEGOs lack a basket, and what canon holds that it should not (DOMAIN.md §1.1, §2).
 * needed = LEGOs with new: true; present = a basket under `baskets` with at least one usable phrase.
 */
export interface DetectResult {
  course: string
  counts: {
    legos: number
    needed: number
    present: number
    missing: number
    empty: number
    overage: number
    orphans: number
    strays: number
  }
  /** present / needed, 0..1 (1 when nothing is needed) */
  coverage: number
  missing: MissingLego[]
  /** baskets under `baskets` with no usable phrase */
  empty: string[]
  /** baskets for LEGOs that are new: false */
  overage: string[]
  /** baskets for ids that are not LEGOs of this course */
  orphans: string[]
  /** baskets at the canon's top level, beside `baskets` */
  strays: string[]
  /** how lego_pairs.json was read, and the seeds it holds that are not whole */
  legoPairs: LegoPairsReport
}

export interface LegoPairsReport {
  shape: LegoPairsShape
  /** the order of array pairs, and the evidence that decided it (with its count) */
  orientation: Pick<OrientationDecision, 'arrays' | 'order' | 'method' | 'evidence' | 'votes'>
  /** seeds whose `legos` hold basket payloads (or no LEGO array): their items are not LEGOs */
  brokenSeeds: Array<{seed: string; items: number; message: string}>
  /** seeds with `legos: []` */
  emptySeeds: string[]
  /** basket payloads found in `legos`, which `extract --from-lego-pairs` reads */
  basketPayloads: number
}

export function legoPairsReport(course: Course): LegoPairsReport {
  const {arrays, order, method, evidence, votes} = course.orientation
  return {
    shape: course.shape,
    orientation: {arrays, order, method, evidence, votes},
    brokenSeeds: course.findings.filter((f) => f.kind === 'broken-seed' && f.seed !== undefined).map((f) => ({seed: f.seed!, items: f.items ?? 0, message: f.message})),
    emptySeeds: course.findings.filter((f) => f.kind === 'empty-seed' && f.seed !== undefined).map((f) => f.seed!),
    basketPayloads: course.legoPairsBaskets.length,
  }
}

export function detect(course: Course, canon: Canon): DetectResult {
  // One pass over canon's baskets finds each one's LEGO (one lookup a basket, by the key canon
  // holds, rather than one a LEGO and one a basket), marking covered new LEGOs by position.
  const covered = new Uint8Array(course.legos.length)
  const empty: string[] = []
  const overage: string[] = []
  const orphans: string[] = []
  // a canon read by its index answers coverage from the index (covers), as it did LEGO by LEGO
  const lazy = canon.baskets instanceof LazyBaskets
  for (const basket of canon.baskets.values()) {
    const usable = hasUsable(basket)
    if (!usable) empty.push(basket.id)
    const lego = course.legoById.get(basket.id)
    if (!lego) orphans.push(basket.id)
    else if (!lego.isNew) overage.push(basket.id)
    else if (lazy ? covers(canon, basket.id) : usable) covered[lego.position] = 1
  }
  const missing: MissingLego[] = []
  let needed = 0
  let present = 0
  for (const lego of course.legos) {
    if (!lego.isNew) continue
    needed++
    if (covered[lego.position] === 1) present++
    else missing.push({id: lego.id, seed: lego.seedId, known: lego.known, target: lego.target, type: lego.type})
  }
  const strays = [...canon.strays.keys()]
  return {
    course: course.code,
    counts: {
      legos: course.legos.length,
      needed,
      present,
      missing: missing.length,
      empty: empty.length,
      overage: overage.length,
      orphans: orphans.length,
      strays: strays.length,
    },
    coverage: needed === 0 ? 1 : present / needed,
    missing,
    empty,
    overage,
    orphans,
    strays,
    legoPairs: legoPairsReport(course),
  }
}
