import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'

import {loadCourse} from '../../../src/core/course/load.js'
import {sha256Hex} from '../../../src/core/hash.js'
import {acceptUpload} from '../../../src/core/serve/intake.js'
import {snapshotTree, tempDir} from '../../helpers/fs.js'
import {startRacers} from '../../helpers/race.js'
import {basketsFor, stagingCourse} from '../../helpers/staging.js'

const STAGING = 'phase5_baskets_staging'

describe('accepting an upload into staging', async () => {
  const synth = stagingCourse()
  const course = await loadCourse(synth.dir)
  const dir = join(synth.dir, STAGING)
  const body = (salt: string) => Buffer.from(JSON.stringify({[basketsFor(course, 5)[0]!.lego.id]: {practice_phrases: basketsFor(course, 5, salt)[0]!.phrases}}))
  const listing = () => (existsSync(dir) ? readdirSync(dir).sort() : [])

  it('writes a new name, says "existing" for the same bytes again, and gives other bytes their own name', async () => {
    const first = await acceptUpload({course, name: 'zeb.json', bytes: body('')})
    expect(first).toMatchObject({ok: true, accepted: {file: `${STAGING}/zeb.json`, outcome: 'created', requested: null, sha256: sha256Hex(body('')), bytes: body('').length, baskets: 1}})
    expect(await acceptUpload({course, name: 'zeb.json', bytes: body('')})).toMatchObject({ok: true, accepted: {file: `${STAGING}/zeb.json`, outcome: 'existing'}})
    expect(listing()).toEqual(['zeb.json'])
    const other = await acceptUpload({course, name: 'zeb.json', bytes: body(' vo')})
    expect(other).toMatchObject({ok: true, accepted: {file: `${STAGING}/zeb.2.json`, outcome: 'created', requested: 'zeb.json'}})
    // the second body sent again is found under its own name, not written a third time
    expect(await acceptUpload({course, name: 'zeb.json', bytes: body(' vo')})).toMatchObject({ok: true, accepted: {file: `${STAGING}/zeb.2.json`, outcome: 'existing'}})
    expect(listing()).toEqual(['zeb.2.json', 'zeb.json'])
    expect(readFileSync(join(dir, 'zeb.json'))).toEqual(body(''))
    expect(readFileSync(join(dir, 'zeb.2.json'))).toEqual(body(' vo'))
  })

  it('writes nothing for a refused body', async () => {
    const before = snapshotTree(synth.dir)
    const got = await acceptUpload({course, name: 'cut.json', bytes: body('').subarray(0, 40)})
    expect(got).toMatchObject({ok: false, problems: [{kind: 'invalid-json', path: null}]})
    expect(snapshotTree(synth.dir)).toEqual(before)
  })

  it('never writes through a symlink or a FIFO at the name: the body goes to the next name', async () => {
    const outside = tempDir()
    symlinkSync(join(outside, 'target.json'), join(dir, 'lnk.json'))
    execFileSync('mkfifo', [join(dir, 'pipe.json')])
    expect(await acceptUpload({course, name: 'lnk.json', bytes: body('')})).toMatchObject({ok: true, accepted: {file: `${STAGING}/lnk.2.json`, outcome: 'created'}})
    expect(await acceptUpload({course, name: 'pipe.json', bytes: body('')})).toMatchObject({ok: true, accepted: {file: `${STAGING}/pipe.2.json`, outcome: 'created'}})
    expect(readdirSync(outside)).toEqual([])
    rmSync(join(dir, 'pipe.json'))
  })

  it('refuses a staging folder that is a symlink, writing nothing through it', async () => {
    const other = stagingCourse(24, 62)
    const c2 = await loadCourse(other.dir)
    const elsewhere = tempDir()
    symlinkSync(elsewhere, join(other.dir, STAGING))
    await expect(acceptUpload({course: c2, name: 'x.json', bytes: Buffer.from(JSON.stringify({[c2.seeds[5]!.legos[0]!.id]: {practice_phrases: basketsFor(c2, 5)[0]!.phrases}}))})).rejects.toMatchObject({code: 'E_UNSAFE_PATH'})
    expect(readdirSync(elsewhere)).toEqual([])
  })
})

describe('many processes accepting under one name at once', async () => {
  const synth = stagingCourse(24, 63)
  const course = await loadCourse(synth.dir)
  const base = tempDir()
  const RACERS = 20
  const DISTINCT = 5
  const id = basketsFor(course, 5)[0]!.lego.id
  const bodies = Array.from({length: DISTINCT}, (_, k) => Buffer.from(JSON.stringify({[id]: {practice_phrases: basketsFor(course, 5, ` ${'q'.repeat(k + 1)}`)[0]!.phrases}}, null, 1).padEnd(20_000, ' ')))
  bodies.forEach((b, k) => writeFileSync(join(base, `body.${k}`), b))
  mkdirSync(join(base, 't0'))
  const script = fileURLToPath(new URL('../../helpers/accept-racer.mjs', import.meta.url))
  const racers = startRacers(script, RACERS, (i) => [base, String(i), '1', synth.dir, join(base, `body.${i % DISTINCT}`)])
  afterAll(() => racers.stop())

  it('lands every distinct body exactly once, whole, and tells each racer where its body is', async () => {
    const outcomes = await racers.trial<{file?: string; outcome?: string; sha256?: string; error?: string}>(join(base, 't0'), 60_000)
    expect(outcomes.filter((o) => o.error)).toEqual([])
    const dir = join(synth.dir, STAGING)
    const files = readdirSync(dir).sort()
    // no temp file left, one file per distinct body
    expect(files).toHaveLength(DISTINCT)
    const contents = files.map((f) => readFileSync(join(dir, f)))
    expect(contents.map((c) => sha256Hex(c)).sort()).toEqual(bodies.map((b) => sha256Hex(b)).sort())
    outcomes.forEach((o, i) => {
      expect(readFileSync(join(synth.dir, o.file!)), `racer ${i}`).toEqual(bodies[i % DISTINCT])
    })
    expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(DISTINCT)
  }, 90_000)
})
