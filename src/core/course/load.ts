import {existsSync} from 'node:fs'
import {basename, join} from 'node:path'

import {readJsonFile} from '../store/read-json.js'
import {fold} from '../text/normalize.js'
import type {ArrayOrder, Course, CourseFinding, Lego, LegoPairsBasket, Seed, TextPair} from './model.js'
import {applyOrientation, resolveOrientation} from './orientation.js'
import {canonLegoText, stagingLegoText} from './orientation-evidence.js'
import {readPair, readRawCourse} from './raw-shapes.js'

export const COURSE_FILES = {
  legoPairs: 'lego_pairs.json',
  seedPairs: 'seed_pairs.json',
  canon: 'lego_baskets.json',
} as const

export interface LoadCourseOptions {
  orientation?: ArrayOrder | null
}

/**
 * `spa_for_eng` → target spa, known eng. A suffix after the code (`cmn_for_eng_test`,
 * `spa_for_eng-v2`) names a variant of the course: the languages are the leading code.
 */
export function parseCourseCode(code: string): {target: string; known: string} | null {
  const match = /^([a-z]{2,3})_for_([a-z]{2,3})(?:[_\-.].*)?$/is.exec(code)
  return match ? {target: match[1]!.toLowerCase(), known: match[2]!.toLowerCase()} : null
}

async function readSeedPairs(file: string, findings: CourseFinding[]): Promise<Map<string, TextPair> | null> {
  let value: unknown
  try {
    value = (await readJsonFile(file, 'Seed pairs file')).value
  } catch (error) {
    findings.push({kind: 'seed-pairs', message: `${file} was not used: ${(error as Error).message}`})
    return null
  }
  const root = typeof value === 'object' && value !== null && 'translations' in value ? (value as {translations: unknown}).translations : value
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return null
  const map = new Map<string, TextPair>()
  for (const [id, entry] of Object.entries(root)) {
    const pair = readPair(entry)
    // Only labelled entries are evidence; array entries have the same ambiguity as lego_pairs.
    if (pair?.kind === 'labelled') map.set(id, {known: pair.known, target: pair.target})
  }
  return map.size > 0 ? map : null
}

/** Loads a course folder's lego_pairs.json (any shape) into the Course model. */
export async function loadCourse(dir: string, options: LoadCourseOptions = {}): Promise<Course> {
  const files = {
    legoPairs: join(dir, COURSE_FILES.legoPairs),
    seedPairs: existsSync(join(dir, COURSE_FILES.seedPairs)) ? join(dir, COURSE_FILES.seedPairs) : null,
    canon: join(dir, COURSE_FILES.canon),
  }
  const {value} = await readJsonFile(files.legoPairs, 'Course file')
  const raw = readRawCourse(value, files.legoPairs)
  const findings: CourseFinding[] = [...raw.findings]

  const code = basename(dir)
  const languages = parseCourseCode(code) ?? (raw.courseName ? parseCourseCode(raw.courseName) : null)
  if (!languages) findings.push({kind: 'course-name', message: `the course folder "${code}" is not named <target>_for_<known>; languages are unknown, so scripts are not checked.`})

  const seedPairs = files.seedPairs ? await readSeedPairs(files.seedPairs, findings) : null
  const orientation = await resolveOrientation(
    raw,
    {
      option: options.orientation ?? null,
      seedPairs,
      knownLanguage: languages?.known ?? null,
      targetLanguage: languages?.target ?? null,
      canonLegos: () => canonLegoText(files.canon),
      stagingLegos: () => stagingLegoText(dir),
    },
    files.legoPairs,
  )

  const seeds: Seed[] = []
  const legos: Lego[] = []
  const legoById = new Map<string, Lego>()
  const seedIds = new Set<string>()
  // the targets seen so far tell a LEGO without a "new" flag whether it is new: kept only when some LEGO lacks one
  const seenTargets = raw.seeds.some((s) => s.legos.some((l) => l.isNew === null)) ? new Set<string>() : null
  let inferred = 0
  for (const rawSeed of raw.seeds) {
    if (seedIds.has(rawSeed.id)) {
      findings.push({kind: 'duplicate-seed', seed: rawSeed.id, message: `seed ${rawSeed.id} appears again; the later copy was skipped.`})
      continue
    }
    seedIds.add(rawSeed.id)
    const pair = rawSeed.pair ? applyOrientation(rawSeed.pair, orientation.order) : (seedPairs?.get(rawSeed.id) ?? {known: '', target: ''})
    const seed: Seed = {id: rawSeed.id, index: seeds.length, known: pair.known, target: pair.target, legos: []}
    for (const rawLego of rawSeed.legos) {
      if (legoById.has(rawLego.id)) {
        findings.push({kind: 'duplicate-lego', seed: seed.id, lego: rawLego.id, message: `LEGO ${rawLego.id} appears again in seed ${seed.id}; the later copy was skipped.`})
        continue
      }
      const text = applyOrientation(rawLego.pair, orientation.order)
      const key = seenTargets ? fold(text.target.trim()) : ''
      let isNew = rawLego.isNew
      if (isNew === null) {
        // A LEGO is new at its first appearance in the course (DOMAIN.md §1.1).
        isNew = !seenTargets!.has(key)
        if (raw.shape === 'LP-A' || raw.shape === 'LP-B') {
          findings.push({kind: 'missing-new', seed: seed.id, lego: rawLego.id, message: `LEGO ${rawLego.id} has no "new" flag; taken as ${isNew} (${isNew ? 'first' : 'not the first'} appearance of "${text.target}").`})
        } else inferred++
      }
      seenTargets?.add(key)
      const lego: Lego = {
        id: rawLego.id,
        seedId: seed.id,
        position: legos.length,
        indexInSeed: seed.legos.length,
        type: rawLego.type,
        isNew,
        known: text.known,
        target: text.target,
        components: rawLego.components.map((c) => applyOrientation(c, orientation.order)),
        isFinal: false,
      }
      seed.legos.push(lego)
      legos.push(lego)
      legoById.set(lego.id, lego)
    }
    const last = seed.legos.at(-1)
    if (last) last.isFinal = true
    seeds.push(seed)
  }
  const legoPairsBaskets: LegoPairsBasket[] = raw.seeds.flatMap((s) => s.payloads.map((p) => ({seedId: p.seedId, id: p.id, path: p.path, lego: p.lego ? applyOrientation(p.lego, orientation.order) : null, phrases: p.phrases})))
  if (inferred > 0) findings.push({kind: 'inferred-new', message: `${raw.shape} carries no "new" flags: ${inferred} LEGO(s) were marked new at their first appearance in the course.`})

  return {
    code: languages ? code : (raw.courseName ?? code),
    dir,
    knownLanguage: languages?.known ?? null,
    targetLanguage: languages?.target ?? null,
    files,
    shape: raw.shape,
    seeds,
    legos,
    legoById,
    orientation,
    findings,
    legoPairsBaskets,
  }
}
