import type {Course, Lego, Seed, TextPair} from '../course/model.js'
import {sha256Hex} from '../hash.js'
import type {GateSettings} from '../schemas/config.js'
import type {Packet, PacketChunk, PacketLego} from '../schemas/packet.js'

/**
 * Work packets (DOMAIN.md §5): what one agent needs to write baskets for a few whole seeds. A
 * packet is seed-atomic (a seed is never split between packets) and its id is a hash of its
 * content, so the same input always gives the same packets.
 */
export type {Packet, PacketChunk, PacketLego} from '../schemas/packet.js'

/** A packet as the run plan lists it: where it sits (segment, orchestrator) and what it covers. */
export type {PreparedPacket} from '../schemas/run-plan.js'

export interface SplitOptions {
  /** LEGOs per packet (whole seeds, so a packet may hold a little more or less) */
  packetSize?: number
  segments: number
  orchestrators: number
  /** agents per orchestrator; with segments and orchestrators it fixes the packet count */
  agents?: number
}

/** Whole seeds into groups: by a target size, seed by seed in course order. */
export function splitSeeds(work: Array<{seed: Seed; legos: Lego[]}>, options: SplitOptions): Array<Array<{seed: Seed; legos: Lego[]}>> {
  const total = work.reduce((n, w) => n + w.legos.length, 0)
  const count = options.agents ? options.segments * options.orchestrators * options.agents : 0
  const size = count > 0 ? Math.max(1, Math.ceil(total / count)) : (options.packetSize ?? 20)
  const groups: Array<Array<{seed: Seed; legos: Lego[]}>> = []
  let current: Array<{seed: Seed; legos: Lego[]}> = []
  let n = 0
  for (const w of work) {
    if (current.length > 0 && n + w.legos.length > size && (count === 0 || groups.length < count - 1)) {
      groups.push(current)
      current = []
      n = 0
    }
    current.push(w)
    n += w.legos.length
  }
  if (current.length > 0) groups.push(current)
  return groups
}

const newLegos = new WeakMap<Course, Lego[]>()

/** The `count` most recent new LEGOs before a course position (binary search, no copying of the course). */
function recentNew(course: Course, position: number, count: number): Lego[] {
  let list = newLegos.get(course)
  if (!list) newLegos.set(course, (list = course.legos.filter((l) => l.isNew)))
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid]!.position < position) lo = mid + 1
    else hi = mid
  }
  return list.slice(Math.max(0, lo - count), lo)
}

/** Which earlier LEGOs a LEGO may build on, by GATE definition. Whole LEGOs only, so the phrases also tile (strict). */
function allowedChunks(course: Course, lego: Lego, gate: GateSettings, seedOf: Map<string, Seed>): Lego[] {
  const seed = seedOf.get(lego.seedId)!
  const earlier = seed.legos.slice(0, lego.indexInSeed)
  switch (gate.definition) {
    case 'cumulative':
    case 'strict':
      return course.legos.slice(0, lego.position)
    case 'seed':
      return [...course.seeds.slice(0, seed.index).flatMap((s) => s.legos), ...seed.legos.filter((l) => l !== lego)]
    case 'window': {
      const window = course.seeds.slice(Math.max(0, seed.index - gate.windowSeeds), seed.index).flatMap((s) => s.legos)
      const recent = gate.recentNewLegos > 0 ? recentNew(course, lego.position, gate.recentNewLegos) : []
      return [...new Map([...window, ...recent, ...earlier].map((l) => [l.id, l])).values()]
    }
  }
}

export function buildPacket(course: Course, group: Array<{seed: Seed; legos: Lego[]}>, gate: GateSettings, bases: Map<string, string>): Packet {
  const chunkIndex = new Map<string, number>()
  const chunks: PacketChunk[] = []
  const first = group[0]!.legos[0]!
  const firstSeedIndex = group[0]!.seed.index
  const seedOf = new Map(course.seeds.map((s) => [s.id, s]))
  const legos: PacketLego[] = []
  for (const {seed, legos: todo} of group) {
    for (const lego of todo) {
      const allowed: number[] = []
      for (const chunk of allowedChunks(course, lego, gate, seedOf)) {
        if (chunk.target === lego.target) continue
        let index = chunkIndex.get(chunk.id)
        if (index === undefined) {
          index = chunks.length
          chunkIndex.set(chunk.id, index)
          chunks.push({id: chunk.id, known: chunk.known, target: chunk.target, from: gate.definition === 'seed' ? seedOf.get(chunk.seedId)!.index : chunk.position})
        }
        allowed.push(index)
      }
      legos.push({id: lego.id, type: lego.type, known: lego.known, target: lego.target, seed: seed.id, positionInSeed: lego.indexInSeed + 1, isFinal: lego.isFinal, allowed, base: bases.get(lego.id) ?? null})
    }
  }
  const body = {
    kind: 'wicker/packet' as const,
    version: 1 as const,
    course: course.code,
    gate,
    seeds: group.map(({seed, legos: todo}) => ({id: seed.id, known: seed.known, target: seed.target, earlierLegos: seed.legos.slice(0, todo[0]!.indexInSeed).map((l) => ({id: l.id, known: l.known, target: l.target}))})),
    legos,
    previousSentences: course.seeds.slice(Math.max(0, firstSeedIndex - 10), firstSeedIndex).map((s) => ({seed: s.id, known: s.known, target: s.target})),
    recentNewLegos: recentNew(course, first.position, 30).map((l) => ({id: l.id, known: l.known, target: l.target})),
    chunks,
  }
  return {...body, id: `p${sha256Hex(JSON.stringify(body)).slice(0, 15)}`}
}
