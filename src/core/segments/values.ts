import {join} from 'node:path'

import type {Course} from '../course/model.js'
import type {GateSettings, ValidateSettings} from '../schemas/config.js'
import type {Packet} from './packets.js'
import type {PreparedPacket} from './run.js'

/** The values of a worker prompt's placeholders, as plain text. */
export function workerValues(course: Course, packet: Packet, run: string, packetFile: string, gate: GateSettings, settings: ValidateSettings): Record<string, string | number> {
  const legos = packet.legos.map((l) => `- ${l.id} (${l.type || '?'}, seed ${l.seed}, LEGO ${l.positionInSeed}${l.isFinal ? ', final' : ''}): "${l.target}" = "${l.known}"`).join('\n')
  const seeds = packet.seeds
    .map((s) => `- ${s.id}: "${s.target}" = "${s.known}"${s.earlierLegos.length > 0 ? `\n  earlier LEGOs: ${s.earlierLegos.map((l) => `"${l.target}" (${l.known})`).join(', ')}` : ''}`)
    .join('\n')
  const vocabulary = packet.legos
    .map((l) => {
      const words = [...new Set(l.allowed.map((i) => packet.chunks[i]!.target))]
      return `- ${l.id} ("${l.target}"): ${words.length > 0 ? words.map((w) => `"${w}"`).join(', ') : '(nothing yet: the LEGO alone)'}`
    })
    .join('\n')
  const regenerating = packet.legos.filter((l) => l.base)
  const shape = {course: course.code, packet: packet.id, baskets: Object.fromEntries(packet.legos.slice(0, 2).map((l) => [l.id, {practice_phrases: [{known: l.known, target: l.target}, {known: '…', target: '…'}]}]))}
  return {
    course: course.code,
    run,
    packet_id: packet.id,
    known_language: course.knownLanguage ?? 'the known language',
    target_language: course.targetLanguage ?? 'the target language',
    gate: `${gate.definition}${gate.definition === 'window' ? `, ${gate.windowSeeds} seeds` : ''}`,
    phrases_per_basket: settings.phrasesPerBasket,
    max_words: settings.maxWords,
    legos,
    seeds,
    previous_sentences: packet.previousSentences.map((s) => `- ${s.seed}: "${s.target}" = "${s.known}"`).join('\n') || '(none: these are the first seeds)',
    recent_legos: packet.recentNewLegos.map((l) => `"${l.target}" (${l.known})`).join(', ') || '(none yet)',
    vocabulary,
    regeneration: regenerating.length > 0 ? `## Regenerating\nThese LEGOs already have a basket that is being replaced: ${regenerating.map((l) => l.id).join(', ')}. Write them anew.` : '',
    output_path: '$WICKER_OUTPUT (the path is in that environment variable)',
    output_shape: JSON.stringify(shape, null, 2),
    packet_path: packetFile,
    lego_count: packet.legos.length,
  }
}

export function orchestratorValues(course: Course, run: string, segment: number, orchestrator: number, packets: PreparedPacket[], dir: string): Record<string, string | number> {
  return {
    course: course.code,
    run,
    segment: segment + 1,
    orchestrator: orchestrator + 1,
    packet_count: packets.length,
    packets: packets.map((p) => `- ${p.id}: seeds ${p.seeds.join(', ')} (${p.legos} LEGOs); prompt ${join(dir, 'prompts', `${p.id}.md`)}`).join('\n'),
  }
}
