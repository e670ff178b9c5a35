import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {covers} from '../canon/read.js'
import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import {seedNumber} from '../ids.js'
import type {Course, Lego, Seed} from '../course/model.js'
import {detect} from '../detect/detect.js'
import {BlockedError, InputError, UsageError} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {canonBasketHash} from '../preview/plan.js'
import {gateSettingsSchema, parseSettings, validateSettingsSchema, type GateSettings} from '../schemas/config.js'
import {missingManifestSchema} from '../schemas/manifest.js'
import {packetFileSchema, type PacketFile} from '../schemas/packet.js'
import {checkRunName, parseRunPlan, PREPARE_AGAIN, type PreparedPacket, type RunPlan} from '../schemas/run-plan.js'
import {writeFileAtomic} from '../store/atomic-write.js'
import {runPaths, wickerPaths} from '../store/paths.js'
import {checkedJson} from '../schemas/check.js'
import {readJson, readJsonFile} from '../store/read-json.js'
import {readNamedJson} from '../store/named-file.js'
import {checkRealFolder, makeRealFolder} from '../store/wicker-folder.js'
import {validate} from '../validate/validate.js'
import type {CheckId} from '../validate/model.js'
import {buildPacket, splitSeeds, type Packet} from './packets.js'
import {shardLayout, type ShardLayout} from './shards.js'
import {parseSeedRange} from './seed-range.js'
import {loadTemplate, render} from './prompt.js'
import {orchestratorValues, workerValues} from './values.js'
import {checkUploadTarget, cleartextWarning, orchestratorUploadSection, workerUploadSection} from './upload.js'
import {progressEvery, type OnProgress} from '../progress.js'

export interface RunPrepareOptions extends OpenCourseOptions {
  /** 'loading the course', 'splitting into packets', 'writing packets and prompts' (counted) */
  onProgress?: OnProgress
  /** missing manifest from `detect --out` */
  manifest?: string | null
  ids?: string[]
  /** S0010-S0050 */
  seeds?: string | null
  regenerate?: boolean
  /** regenerate the baskets failing these validate checks */
  regenerateFailing?: string[]
  packetSize?: number
  segments?: number
  orchestrators?: number
  agents?: number
  gate?: Partial<GateSettings>
  templateDir?: string | null
  run?: string | null
  /** `--upload URL`: prompts tell a remote agent to PUT its output to this wicker serve */
  upload?: string | null
  /** `--token-env NAME`: the environment variable the agent reads its token from [default: WICKER_TOKEN] */
  tokenEnv?: string | null
  /** `--shards N`: lay the packets out in N shards (recorded in the plan; launch --shard I/N) */
  shards?: number | null
}

export type {PreparedPacket, RunPlan} from '../schemas/run-plan.js'

export interface PrepareResult {
  run: string
  dir: string
  unchanged: boolean
  segments: Array<{index: number; packets: Array<{id: string; seeds: string[]; legos: number}>}>
  totals: {segments: number; packets: number; seeds: number; legos: number}
  skipped: Array<{id: string; reason: string}>
  /** `--shards N`: each shard's packets (by number) and LEGOs; null without it */
  shards: ShardLayout[] | null
}

/** The LEGOs to generate, with the canon hash each replaces when regenerating. */
async function chooseWork(course: Course, canon: Awaited<ReturnType<typeof openCourse>>['canon'], options: RunPrepareOptions, warnings: string[]): Promise<{legos: Lego[]; bases: Map<string, string>; skipped: PrepareResult['skipped']}> {
  const bases = new Map<string, string>()
  const skipped: PrepareResult['skipped'] = []
  let chosen: Lego[]
  if (options.regenerateFailing && options.regenerateFailing.length > 0) {
    const checks = new Set(options.regenerateFailing as CheckId[])
    const result = validate(course, canon, {gate: gateSettingsSchema.parse({}), validate: validateSettingsSchema.parse({})})
    const ids = new Set(result.findings.filter((f) => checks.has(f.check) && f.basket).map((f) => f.basket!))
    chosen = course.legos.filter((l) => ids.has(l.id))
  } else if (options.ids && options.ids.length > 0) {
    const unknown = options.ids.filter((id) => !course.legoById.has(id))
    if (unknown.length > 0) throw new UsageError({code: 'E_IDS', message: `not LEGOs of ${course.code}: ${unknown.slice(0, 5).join(', ')}.`, hint: 'Pass LEGO ids from lego_pairs.json (S0001L02…).'})
    const wanted = new Set(options.ids)
    chosen = course.legos.filter((l) => wanted.has(l.id))
  } else if (options.seeds) {
    const numbers = course.seeds.map((s) => seedNumber(s.id)).filter((n): n is number => n !== null)
    const [a, b] = parseSeedRange(options.seeds, numbers.length > 0 ? {first: Math.min(...numbers), last: Math.max(...numbers)} : {first: 1, last: 0})
    chosen = course.legos.filter((l) => {
      const n = seedNumber(l.seedId)
      return n !== null && n >= a && n <= b
    })
  } else if (options.manifest) {
    const file = resolve(options.cwd, options.manifest)
    // a missing or unreadable file is the flag's mistake; a file of the wrong shape names each field
    const manifest = checkedJson((await readNamedJson(file, {flag: '--manifest', what: 'Manifest'})).value, file, missingManifestSchema, {what: 'Missing manifest', code: 'E_MANIFEST', hint: `A missing manifest is written by \`wicker detect ${course.dir} --out missing.json\`; write a fresh one, or fix the fields named.`})
    if (manifest.course !== course.code) warnings.push(`the manifest is for ${manifest.course}, not ${course.code}`)
    const wanted = new Set(manifest.missing.map((m) => m.id))
    chosen = course.legos.filter((l) => wanted.has(l.id))
  } else {
    const wanted = new Set(detect(course, canon).missing.map((m) => m.id))
    chosen = course.legos.filter((l) => wanted.has(l.id))
  }
  const regenerating = options.regenerate || (options.regenerateFailing?.length ?? 0) > 0
  const legos: Lego[] = []
  for (const lego of chosen) {
    if (!lego.isNew) {
      skipped.push({id: lego.id, reason: 'not new (new: false): no basket is wanted'})
      continue
    }
    const basket = canon.baskets.get(lego.id)
    const has = covers(canon, lego.id)
    if (has && !regenerating) {
      skipped.push({id: lego.id, reason: 'already has a basket (pass --regenerate to replace it)'})
      continue
    }
    if (has && basket) bases.set(lego.id, canonBasketHash(basket))
    legos.push(lego)
  }
  return {legos, bases, skipped}
}

export async function runPrepare(options: RunPrepareOptions): Promise<{result: PrepareResult; warnings: string[]}> {
  options.onProgress?.('loading the course')
  const {course, canon, config, configFile, warnings} = await openCourse({...options, recover: true})
  const gate = parseSettings(gateSettingsSchema, {config: {...config.gate, definition: 'window'}, flags: options.gate, section: 'gate', file: configFile})
  // Flags and templates first: a bad --upload or a broken template stops everything before any file is written.
  const upload = options.upload ? checkUploadTarget(options.upload, options.tokenEnv ?? undefined) : null
  const cleartext = upload ? cleartextWarning(upload) : null
  if (cleartext) warnings.push(cleartext)
  const worker = await loadTemplate(options.templateDir ? resolve(options.cwd, options.templateDir) : null, 'worker')
  const orchestrator = await loadTemplate(options.templateDir ? resolve(options.cwd, options.templateDir) : null, 'orchestrator')

  const {legos, bases, skipped} = await chooseWork(course, canon, options, warnings)
  const bySeed = new Map<string, {seed: Seed; legos: Lego[]}>()
  const seedOf = new Map(course.seeds.map((s) => [s.id, s]))
  for (const lego of legos) {
    const entry = bySeed.get(lego.seedId) ?? {seed: seedOf.get(lego.seedId)!, legos: []}
    entry.legos.push(lego)
    bySeed.set(lego.seedId, entry)
  }
  options.onProgress?.('splitting into packets')
  const segments = options.segments ?? 1
  const orchestrators = options.orchestrators ?? 1
  const groups = splitSeeds([...bySeed.values()], {packetSize: options.packetSize, segments, orchestrators, agents: options.agents})
  const packets = groups.map((g) => buildPacket(course, g, gate, bases))
  const run = options.run ? checkRunName(options.run) : `run-${sha256Hex(JSON.stringify({ids: packets.map((p) => p.id), segments, orchestrators})).slice(0, 10)}`

  const perSegment = Math.ceil(packets.length / segments) || 1
  const placed: PreparedPacket[] = packets.map((p, i) => {
    const segment = Math.floor(i / perSegment)
    const inSegment = i - segment * perSegment
    const size = Math.min(perSegment, packets.length - segment * perSegment)
    return {index: i + 1, id: p.id, segment, orchestrator: Math.floor((inSegment * orchestrators) / size), seeds: p.seeds.map((s) => s.id), legos: p.legos.length}
  })

  const paths = wickerPaths(course.dir)
  const files = runPaths(join(paths.runs, run))
  const dir = files.dir
  const plan: RunPlan = {kind: 'wicker/run-plan', version: 1, run, course: course.code, createdAt: new Date().toISOString(), gate, packets: placed, ...(options.shards ? {shards: options.shards} : {}), ...(upload ? {upload} : {})}
  const planFile = files.plan
  let unchanged = false
  // the run's folder is written into below: a symlinked .wicker, runs/ or runs/<run> is refused first
  await checkRealFolder(course.dir, dir)
  if (existsSync(planFile)) {
    const existing = parseRunPlan((await readJsonFile(planFile, 'Run plan')).value, planFile, run)
    if (JSON.stringify(existing.packets) !== JSON.stringify(placed)) {
      throw new BlockedError({code: 'E_RUN_EXISTS', message: `run ${run} already exists with other packets (${dir}).`, hint: 'Pass another --run name, or launch that run as it is.'})
    }
    // a run laid out in shards keeps its split when prepared again without --shards (machines may be running it)
    if (options.shards == null && existing.shards !== undefined) plan.shards = existing.shards
    // the same packets with another --upload or --shards: the prompts and plan are written again
    unchanged = JSON.stringify(existing.upload ?? null) === JSON.stringify(plan.upload ?? null) && existing.shards === plan.shards
  }
  if (!unchanged && packets.length > 0) {
    await makeRealFolder(course.dir, files.packets)
    await makeRealFolder(course.dir, files.prompts)
    const settings = parseSettings(validateSettingsSchema, {config: config.validate, section: 'validate', file: configFile})
    const tick = progressEvery(options.onProgress, 'writing packets and prompts', packets.length, 50)
    for (const [i, packet] of packets.entries()) {
      tick(i + 1)
      const packetFile = files.packet(packet.id)
      // packets are made again from the same input, so they need to be whole, not durable
      await writeFileAtomic(packetFile, `${JSON.stringify({...packet, run, bases: Object.fromEntries(packet.legos.filter((l) => l.base).map((l) => [l.id, l.base]))}, null, 2)}\n`, {durable: false})
      // prompt names are predictable too: written whole, by rename (a planted symlink is replaced, never followed)
      await writeFileAtomic(files.prompt(packet.id), render(worker, workerValues(course, packet, run, packetFile, gate, settings)) + (upload ? workerUploadSection(upload, course.code, run, packet.id) : ''), {durable: false})
    }
    for (let s = 0; s < segments; s++) {
      for (let o = 0; o < orchestrators; o++) {
        const mine = placed.filter((p) => p.segment === s && p.orchestrator === o)
        if (mine.length === 0) continue
        await writeFileAtomic(files.prompt(`orchestrator-s${s + 1}-o${o + 1}`), render(orchestrator, orchestratorValues(course, run, s, o, mine, files)) + (upload ? orchestratorUploadSection(upload) : ''), {durable: false})
      }
    }
    await writeFileAtomic(planFile, `${JSON.stringify(plan, null, 2)}\n`)
  }
  const segmentList = [...new Set(placed.map((p) => p.segment))].map((index) => ({index: index + 1, packets: placed.filter((p) => p.segment === index).map((p) => ({id: p.id, seeds: p.seeds, legos: p.legos}))}))
  return {
    result: {run, dir, unchanged, segments: segmentList, totals: {segments: segmentList.length, packets: packets.length, seeds: bySeed.size, legos: legos.length}, skipped, shards: plan.shards ? shardLayout(placed, plan.shards) : null},
    warnings,
  }
}

export async function readRunPlan(courseDir: string, run: string): Promise<{plan: RunPlan; packets: Map<string, PacketFile>; dir: string}> {
  checkRunName(run)
  const files = runPaths(join(wickerPaths(courseDir).runs, run))
  const dir = files.dir
  // launch writes its ledger, logs and work files here: never through a symlinked folder
  await checkRealFolder(courseDir, dir)
  const file = files.plan
  if (!existsSync(file)) throw new UsageError({code: 'E_NO_RUN', message: `no run ${run} in ${wickerPaths(courseDir).runs}.`, hint: 'Prepare one with `wicker prepare-segments <course>`; it prints the run name.'})
  const plan = parseRunPlan((await readJsonFile(file, 'Run plan')).value, file, run)
  const packets = new Map<string, PacketFile>()
  for (const p of plan.packets) {
    const packetFile = files.packet(p.id)
    const packet = await readJson(packetFile, packetFileSchema, {what: 'Packet', code: 'E_PACKET', hint: PREPARE_AGAIN})
    if (packet.id !== p.id || packet.run !== run) throw new InputError({code: 'E_RUN_PLAN', message: `${packetFile} is not packet ${p.id} of run ${run} (it says ${JSON.stringify(packet.id)} of run ${JSON.stringify(packet.run)}).`, hint: PREPARE_AGAIN, details: {file: packetFile}})
    packets.set(p.id, packet)
  }
  return {plan, packets, dir}
}
