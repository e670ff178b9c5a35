import {z} from 'zod'

import {sha256Schema} from './sha256.js'
import {gateSettingsSchema} from './config.js'
import {PACKET_ID, RUN_NAME} from './run-plan.js'

/**
 * A work packet (DOMAIN.md §5) as prepare-segments writes it to .wicker/runs/<run>/packets/<id>.json
 * and launch reads it back: what one agent needs to write baskets for a few whole seeds. The run
 * folder comes with the course, so a packet is untrusted: its id and run must be names wicker makes
 * (they become parts of staging file names), and every chunk index must point into its chunks.
 */
const text = z.string().max(100_000)
const id = z.string().min(1).max(200)
const pair = {known: text, target: text}
const sha256 = sha256Schema

export const packetChunkSchema = z.object({
  id,
  ...pair,
  /** course position of the LEGO (cumulative, strict) or its seed index (seed) */
  from: z.int().nonnegative(),
})

export const packetLegoSchema = z.object({
  id,
  ...pair,
  type: z.string().max(200),
  seed: id,
  /** 1-based position within its seed */
  positionInSeed: z.int().positive(),
  isFinal: z.boolean(),
  /** the chunks (indexes into packet.chunks) this LEGO's phrases may use, itself excluded */
  allowed: z.array(z.int().nonnegative()),
  /** hash of the canon basket it replaces, when regenerating */
  base: sha256.nullable(),
})

export const packetSchema = z.object({
  kind: z.literal('wicker/packet'),
  version: z.literal(1),
  id: z.string().regex(PACKET_ID, 'must be a packet id (p + 15 hex digits)'),
  course: z.string().max(200),
  gate: gateSettingsSchema,
  seeds: z.array(z.object({id, ...pair, earlierLegos: z.array(z.object({id, ...pair}))})),
  legos: z.array(packetLegoSchema),
  /** the 10 seed sentences before the packet's first seed */
  previousSentences: z.array(z.object({seed: id, ...pair})),
  /** the 30 most recent new LEGOs before the packet's first LEGO */
  recentNewLegos: z.array(z.object({id, ...pair})),
  /** vocabulary table: whole earlier LEGOs */
  chunks: z.array(packetChunkSchema),
})

const packetFileShape = packetSchema.extend({
  run: z.string().regex(RUN_NAME, 'must be a run name'),
  bases: z.record(id, sha256),
})

/** The packet file: the packet, its run, and the canon basket hash each regenerated LEGO replaces. */
export const packetFileSchema = packetFileShape.superRefine((packet, ctx) => {
  packet.legos.forEach((lego, i) =>
    lego.allowed.forEach((chunk, j) => {
      if (chunk >= packet.chunks.length) ctx.addIssue({code: 'custom', path: ['legos', i, 'allowed', j], message: `chunk ${chunk} is not in chunks (${packet.chunks.length} of them)`})
    }),
  )
})

/**
 * What extract reads of a packet: whose it is and its bases (a packet's vocabulary tables are large,
 * and one extract may look at a thousand packets).
 */
export const packetBasesSchema = packetFileShape.pick({id: true, run: true, bases: true})

export type PacketChunk = z.infer<typeof packetChunkSchema>
export type PacketLego = z.infer<typeof packetLegoSchema>
export type Packet = z.infer<typeof packetSchema>
export type PacketFile = z.infer<typeof packetFileSchema>
