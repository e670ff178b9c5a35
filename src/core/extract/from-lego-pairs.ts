import {relative} from 'node:path'

import {LEGO_ID} from '../ids.js'
import type {Course} from '../course/model.js'
import {phraseKeys, readPhrases} from '../formats/phrases.js'
import {sha256Hex} from '../hash.js'
import {readBytes} from '../store/read-json.js'
import {tidy} from '../text/normalize.js'
import {phrasesHash, type Candidate, type Source} from './candidate.js'
import type {Extraction, Problem} from './extract.js'

/**
 * `extract --from-lego-pairs`: basket payloads found in seeds' `legos` (not LEGOs, see
 * course/raw-shapes.ts) offered as a basket source, since some are the only copy of a basket.
 * Off by default. Each candidate's source has format `lego-pairs` and the payload's JSON path.
 * Staging comes first: where staging holds the same basket, lego_pairs.json is one more source of
 * it; where staging holds another version, the lego_pairs copy is not used, and that is reported.
 * lego_pairs.json is only read: it is never a file a merge consumes.
 */
export const LEGO_PAIRS_FORMAT = 'lego-pairs'

export interface LegoPairsBaskets {
  candidates: Candidate[]
  problems: Problem[]
}

/** The payloads as candidates (pure: the file's name and hash are given). */
export function legoPairsBaskets(course: Course, file: {name: string; sha256: string}): LegoPairsBaskets {
  const keys = phraseKeys(course.knownLanguage, course.targetLanguage)
  const candidates: Candidate[] = []
  const problems: Problem[] = []
  const report = (kind: Problem['kind'], message: string, basket?: string) => problems.push({file: file.name, kind, message, ...(basket ? {basket} : {})})
  const seen = new Set<string>()
  for (const payload of course.legoPairsBaskets) {
    const where = `${payload.path} (seed ${payload.seedId})`
    if (payload.id === null || !LEGO_ID.test(payload.id)) {
      report('bad-id', `${where}: ${payload.id === null ? 'no LEGO id' : `${JSON.stringify(payload.id)} is not a LEGO id`}; refused`)
      continue
    }
    const id = payload.id
    if (payload.phrases === undefined) {
      report('invalid-basket', `${id} at ${where}: a LEGO's id and text with no phrases: nothing to offer`, id)
      continue
    }
    if (seen.has(id)) {
      report('bad-basket', `${id} at ${where}: a second payload for ${id} in lego_pairs.json; only the first is used`, id)
      continue
    }
    seen.add(id)
    // Array phrases in these payloads are [known, target], as in canon and most staging.
    const read = readPhrases(payload.phrases, 'known-target', keys)
    for (const p of read.problems) report('bad-phrase', `${id}${p.index >= 0 ? `, phrase ${p.index}` : ''} at ${where}: ${p.message}`, id)
    const phrases = read.phrases.map((p) => ({known: tidy(p.known), target: tidy(p.target)}))
    let invalid: string | null = null
    if (read.problems.length > 0) invalid = `${read.problems.length} phrase(s) could not be read`
    else if (phrases.length === 0) invalid = 'no phrase'
    else if (phrases.some((p) => p.known === '' || p.target === '')) invalid = 'a phrase with an empty side'
    if (invalid) report('invalid-basket', `${id} at ${where}: ${invalid}`, id)
    const source: Source = {file: file.name, sha256: file.sha256, format: LEGO_PAIRS_FORMAT, path: payload.path}
    candidates.push({id, phrases, hash: phrasesHash(phrases), sources: [source], repaired: false, base: null, invalid})
  }
  return {candidates, problems}
}

/** An extraction with the lego_pairs payloads added where staging does not already decide the id. */
export function withLegoPairsBaskets(extraction: Extraction, found: LegoPairsBaskets): Extraction {
  const byId = new Map(extraction.candidates.map((c, i) => [c.id, i]))
  const conflicted = new Set(extraction.stagingConflicts.map((c) => c.id))
  const candidates = [...extraction.candidates]
  const problems = [...extraction.problems, ...found.problems]
  let duplicates = extraction.duplicates
  for (const c of found.candidates) {
    const at = byId.get(c.id)
    const source = c.sources[0]!
    if (at !== undefined && candidates[at]!.hash === c.hash) {
      candidates[at] = {...candidates[at]!, sources: [...candidates[at]!.sources, source]}
      duplicates++
    } else if (at !== undefined || conflicted.has(c.id)) {
      problems.push({file: source.file, kind: 'superseded', basket: c.id, message: `${c.id} at ${source.path}: staging holds another version of this basket; the lego_pairs.json copy is not used`})
    } else {
      candidates.push(c)
    }
  }
  return {...extraction, candidates, duplicates, problems}
}

/**
 * Reads the payloads of the course's lego_pairs.json into the extraction, and pins the file in its
 * options (name and sha256, even when it holds no payload): a plan made from it records them, and
 * `merge --plan` refuses it as stale when lego_pairs.json changed. The file is pinned there and
 * nowhere else: it is not a staging file, so no plan hashes it as one, consumes or moves it.
 */
export async function addLegoPairsBaskets(extraction: Extraction, course: Course): Promise<Extraction> {
  const name = relative(course.dir, course.files.legoPairs)
  const sha256 = sha256Hex(await readBytes(course.files.legoPairs))
  const pinned = {...extraction, options: {...extraction.options, legoPairs: {file: name, sha256}}}
  if (course.legoPairsBaskets.length === 0) return pinned
  return withLegoPairsBaskets(pinned, legoPairsBaskets(course, {name, sha256}))
}
