import type {Course, Lego, TextPair} from '../../src/core/course/model.js'
import type {FormatId} from '../../src/core/formats/containers.js'
import {buildGateIndex} from '../../src/core/gate/index.js'
import {buildBasket} from '../../src/core/generate/basket-builder.js'
import {Random} from '../../src/core/generate/random.js'
import {units} from '../../src/core/text/normalize.js'
import {windowChunks} from './generate.js'

/**
 * Writes baskets as agents do, in each container format of DOMAIN.md §3 and with the phrase shapes
 * rotated, so one folder mixes them all. Used by the format tests and the extract benchmark.
 */
export interface StagedBasket {
  lego: Lego
  phrases: TextPair[]
}

export interface StagingFile {
  name: string
  content: string
}

type Shape = (p: TextPair, i: number) => unknown
/** The phrase item shapes, [known, target] unless said otherwise. */
export const PHRASE_SHAPES: Shape[] = [
  (p, i) => [p.known, p.target, null, i + 1],
  (p, i) => [p.known, p.target, `P${String(i + 1).padStart(2, '0')}`, i + 1],
  (p, i) => [p.known, p.target, i + 1],
  (p) => [p.known, p.target],
  (p) => ({known: p.known, target: p.target}),
  (p, i) => ({target: p.target, lego_count: i + 1, known: p.known}),
  (p, i) => ({known: p.known, target: p.target, complexity: i < 2 ? 'simple' : 'complex'}),
  (p) => ({english: p.known, target: p.target}),
]

const phrasesIn = (b: StagedBasket, shape: number) => b.phrases.map((p, i) => PHRASE_SHAPES[(shape + i) % PHRASE_SHAPES.length]!(p, i))
const lego = (l: Lego) => ({known: l.known, target: l.target})
const tk = (p: TextPair) => [p.target, p.known]
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`

/** Files holding these baskets in one format. Per-seed formats expect baskets of one seed. */
export function renderFormat(format: FormatId, baskets: StagedBasket[], tag: string, languages: {known: string; target: string; knownCode?: string; targetCode?: string} = {known: 'english', target: 'target'}): StagingFile[] {
  const seed = baskets[0]!.lego.seedId
  const standard = (b: StagedBasket, i: number) => ({lego: lego(b.lego), practice_phrases: phrasesIn(b, i), is_final_lego: b.lego.isFinal, phrase_count: b.phrases.length})
  const map = (f: (b: StagedBasket, i: number) => unknown) => Object.fromEntries(baskets.map((b, i) => [b.lego.id, f(b, i)]))
  switch (format) {
    case 'F1':
      return [{name: `${tag}_f1.json`, content: json({agent: tag, generated: '2026-01-01', ...map(standard)})}]
    case 'F2':
      return [{name: `${tag}_f2.json`, content: json({course: 'x', seed, agentId: tag, baskets: map(standard)})}]
    case 'F2b':
      return [{name: `${tag}_f2b.json`, content: json({baskets: map((b) => b.phrases.map((p, i) => [p.known, p.target, null, i + 1]))})}]
    case 'F3':
      return [{name: `${tag}_f3.json`, content: json({seed_id: seed, baskets: baskets.map((b, i) => (i % 2 ? {id: b.lego.id, lego: lego(b.lego), practice_phrases: phrasesIn(b, i)} : {lego_id: b.lego.id, practice_phrases: phrasesIn(b, i)}))})}]
    case 'F4':
      return [{name: `${tag}_f4.json`, content: json({seed_id: seed, seed_pair: {known: '…', target: '…'}, recent_context: ['…'], legos: map((b, i) => ({...standard(b, i), _metadata: {agent: tag}, gate_compliance: true}))})}]
    case 'F5':
      return [{name: `${tag}_f5.json`, content: json({agent_id: tag, seeds: {[seed]: {legos: map(standard)}}})}]
    case 'F6':
      return [{name: `${tag}_f6.json`, content: json(Object.fromEntries(baskets.map((b, i) => [String(i), {[i % 2 ? 'lego_id' : 'legoId']: b.lego.id, lego: lego(b.lego), practice_phrases: phrasesIn(b, i)}])))}]
    case 'F7':
      return [{name: `${seed}_${tag}_f7.json`, content: json(Object.fromEntries(baskets.map((b, i) => [b.lego.id.slice(5), i % 2 ? {lego_id: b.lego.id, practice_phrases: phrasesIn(b, i)} : {practice_phrases: phrasesIn(b, i)}])))}]
    case 'F8':
      return baskets.map((b, i) => ({name: `${tag}_f8_${i}.json`, content: json({basket_id: b.lego.id, lego: lego(b.lego), practice_phrases: phrasesIn(b, i)})}))
    case 'F9':
      return baskets.map((b) => ({name: `${b.lego.id}_${tag}_f9.json`, content: json(b.phrases.map((p, i) => [p.known, p.target, null, i + 1]))}))
    case 'F10':
      return [
        {name: `${tag}_f10.json`, content: json({seed_id: seed, lego_baskets: map((b, i) => ({lego_pair: [b.lego.known, b.lego.target], phrases: phrasesIn(b, i)}))})},
      ]
    case 'F11':
      return [{name: `${tag}_f11.json`, content: json(map((b) => ({known: b.lego.known, target: b.lego.target, baskets: b.phrases.map((p, i) => [p.known, p.target, null, i + 1])})))}]
    case 'F12':
      return [
        {
          name: `${tag}_f12.json`,
          content: json(
            map((b, i) =>
              i % 2
                ? [tk(b.lego), b.phrases.slice(0, 2).map(tk), [b.phrases.slice(2, 4).map(tk), b.phrases.slice(4).map(tk)]]
                : {lego: tk(b.lego), e: b.phrases.slice(0, 2).map(tk), d: {'2': b.phrases.slice(2, 4).map(tk), '3': b.phrases.slice(4).map(tk)}},
            ),
          ),
        },
      ]
    case 'F13':
      return [
        {
          name: `${tag}_f13.json`,
          content: json({seed_id: seed, legos: map((b) => ({lego: lego(b.lego), practice_phrases: {short_1_to_2_legos: {slots: b.phrases.slice(0, 2).map((p) => ({phrase: {[languages.known]: p.known, [languages.target]: p.target}}))}, longer: {slots: b.phrases.slice(2).map((p) => ({phrase: {[languages.known]: p.known, [languages.target]: p.target, notes: 'n'}}))}}}))}),
        },
      ]
    case 'F14':
      return [{name: `${tag}_f14.json`, content: json(map((b) => ({lego: lego(b.lego), practice_phrases: {medium_3_legos: b.phrases.map((p) => ({[languages.known]: p.known, [languages.target]: p.target}))}})))}]
    case 'F15':
      return [{name: `seed_${seed}_${tag}_baskets.json`, content: json(Object.fromEntries(baskets.map((b, i) => [String(i), {lego: i % 2 ? [b.lego.known, b.lego.target] : lego(b.lego), practice_phrases: phrasesIn(b, i)}])))}]
    case 'F16':
      return [{name: `${tag}_f16.json`, content: json({seed_id: seed, baskets: baskets.flatMap((b) => b.phrases.map((p, i) => ({lego_id: b.lego.id, known: p.known, target: p.target, lego_count: i + 1})))})}]
    case 'F17':
      return [
        {
          name: `${tag}_f17.json`,
          content: json({seed_id: seed, seed_pair: {known: '…', target: '…'}, legos: baskets.map((b) => ({lego_id: b.lego.id, known: b.lego.known, target: b.lego.target, new: b.lego.isNew, baskets: b.phrases.map((p) => ({[languages.knownCode ?? languages.known]: p.known, [languages.targetCode ?? languages.target]: p.target}))}))}),
        },
      ]
    case 'mixed': {
      // an F3 array for the first half, the rest as top-level LEGO-id baskets beside it
      const half = Math.ceil(baskets.length / 2)
      return [{name: `${tag}_mixed.json`, content: json({seed_id: seed, baskets: baskets.slice(0, half).map((b, i) => ({lego_id: b.lego.id, practice_phrases: phrasesIn(b, i)})), ...Object.fromEntries(baskets.slice(half).map((b, i) => [b.lego.id, standard(b, i)]))})}]
    }
  }
}

export const ALL_FORMATS: FormatId[] = ['F1', 'F2', 'F2b', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F17', 'mixed']

/** GATE-safe baskets for the course's new LEGOs that canon lacks, as an agent run would write them. */
export function missingBaskets(course: Course, canonIds: Set<string>, seed = 7): StagedBasket[] {
  const random = new Random(seed)
  const strict = buildGateIndex(course, {definition: 'strict', windowSeeds: 10, recentNewLegos: 30, components: false})
  const joiner = course.legos.some((l) => /\p{Script=Han}/u.test(l.target)) ? '' : ' '
  return course.legos
    .filter((l) => l.isNew && !canonIds.has(l.id))
    .map((lego) => ({
      lego,
      phrases: buildBasket(
        {
          lego,
          chunks: windowChunks(course, lego),
          seedSentence: lego.isFinal ? course.seeds[Number(lego.seedId.slice(1)) - 1]! : null,
          size: 10,
          joiner: {known: ' ', target: joiner},
          maxWords: 15,
          countLegos: (target) => strict.check(units(target), lego).entries,
        },
        random,
      ),
    }))
}

/** Staging files for these baskets, the formats taken in turn, one seed per file. */
export function stagingFiles(baskets: StagedBasket[], formats: FormatId[] = ALL_FORMATS): StagingFile[] {
  const bySeed = new Map<string, StagedBasket[]>()
  for (const b of baskets) bySeed.set(b.lego.seedId, [...(bySeed.get(b.lego.seedId) ?? []), b])
  const files: StagingFile[] = []
  let i = 0
  for (const [seed, list] of bySeed) {
    const format = formats[i % formats.length]!
    files.push(...renderFormat(format, list, `agent${String(i).padStart(4, '0')}_${seed}`, {known: 'english', target: 'target'}))
    i++
  }
  return files
}
