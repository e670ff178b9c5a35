import type {Course} from '../course/model.js'
import type {GateSettings, ValidateSettings} from '../schemas/config.js'
import type {RunPaths} from '../store/paths.js'
import type {Packet, PreparedPacket} from './packets.js'
import {oneLine, promptJson, quoted} from './quote.js'

/** The values of a worker prompt's placeholders, as plain text. */
export function workerValues(course: Course, packet: Packet, run: string, packetFile: string, gate: GateSettings, settings: ValidateSettings): Record<string, string | number> {
  const legos = packet.legos.map((l) => `- ${oneLine(l.id)} (${oneLine(l.type || '?')}, seed ${oneLine(l.seed)}, LEGO ${l.positionInSeed}${l.isFinal ? ', final' : ''}): ${quoted(l.target)} = ${quoted(l.known)}`).join('\n')
  const seeds = packet.seeds
    .map((s) => `- ${oneLine(s.id)}: ${quoted(s.target)} = ${quoted(s.known)}${s.earlierLegos.length > 0 ? `\n  earlier LEGOs: ${s.earlierLegos.map((l) => `${quoted(l.target)} (${quoted(l.known)})`).join(', ')}` : ''}`)
    .join('\n')
  const vocabulary = packet.legos
    .map((l) => {
      const words = [...new Set(l.allowed.map((i) => packet.chunks[i]!.target))]
      return `- ${oneLine(l.id)} (${quoted(l.target)}): ${words.length > 0 ? words.map(quoted).join(', ') : '(nothing yet: the LEGO alone)'}`
    })
    .join('\n')
  const regenerating = packet.legos.filter((l) => l.base)
  const shape = {course: course.code, packet: packet.id, baskets: Object.fromEntries(packet.legos.slice(0, 2).map((l) => [l.id, {practice_phrases: [{known: l.known, target: l.target}, {known: '…', target: '…'}]}]))}
  return {
    course: oneLine(course.code),
    run,
    packet_id: packet.id,
    known_language: oneLine(course.knownLanguage ?? 'the known language'),
    target_language: oneLine(course.targetLanguage ?? 'the target language'),
    gate: `${gate.definition}${gate.definition === 'window' ? `, ${gate.windowSeeds} seeds` : ''}`,
    phrases_per_basket: settings.phrasesPerBasket,
    max_words: settings.maxWords,
    legos,
    seeds,
    previous_sentences: packet.previousSentences.map((s) => `- ${oneLine(s.seed)}: ${quoted(s.target)} = ${quoted(s.known)}`).join('\n') || '(none: these are the first seeds)',
    recent_legos: packet.recentNewLegos.map((l) => `${quoted(l.target)} (${quoted(l.known)})`).join(', ') || '(none yet)',
    vocabulary,
    regeneration: regenerating.length > 0 ? `## Regenerating\nThese LEGOs already have a basket that is being replaced: ${regenerating.map((l) => oneLine(l.id)).join(', ')}. Write them anew.` : '',
    output_path: '$WICKER_OUTPUT (the path is in that environment variable)',
    output_shape: promptJson(shape),
    packet_path: oneLine(packetFile),
    lego_count: packet.legos.length,
  }
}

export function orchestratorValues(course: Course, run: string, segment: number, orchestrator: number, packets: PreparedPacket[], files: RunPaths): Record<string, string | number> {
  return {
    course: oneLine(course.code),
    run,
    segment: segment + 1,
    orchestrator: orchestrator + 1,
    packet_count: packets.length,
    packets: packets.map((p) => `- ${p.id}: seeds ${p.seeds.map(oneLine).join(', ')} (${p.legos} LEGOs); prompt ${oneLine(files.prompt(p.id))}`).join('\n'),
  }
}
