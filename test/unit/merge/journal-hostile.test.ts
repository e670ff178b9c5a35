import {mkdirSync, readdirSync, readFileSync, symlinkSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {runExtract} from '../../../src/core/extract/run.js'
import {sha256Hex} from '../../../src/core/hash.js'
import {runMerge} from '../../../src/core/merge/run.js'
import {runRecover} from '../../../src/core/merge/run-recover.js'
import {runStatus} from '../../../src/core/status/status.js'
import {readJournal, transactions} from '../../../src/core/store/journal.js'
import {realDisk} from '../../../src/core/store/disk.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {snapshotTree, writeTree} from '../../helpers/fs.js'
import {canonBytes, copyCourse, flowCourse} from '../../helpers/flow.js'

/**
 * A course that arrives with its own .wicker/journal.ndjson, carrying an "interrupted transaction"
 * written to make recovery move files across the course's edge or delete one outside it. Recovery
 * runs first in extract and merge; it must refuse the record, name its line, and touch nothing.
 */
const template = flowCourse({seeds: 6})
const TX = 'merge-20261201T225145Z-a1b2c3'
const STAGING = 'phase5_baskets_staging'

function hostileCourse() {
  const dir = copyCourse(template.dir)
  // a sibling of the course folder, as a user's other files would be
  const outside = writeTree(join(dirname(dir), 'outside'), {'x.json': '{"zorvel": "plim"}\n', 'evil.tmp': 'kept\n', 'keep/notes.txt': 'vesk lurn\n'})
  const stagingFile = readdirSync(join(dir, STAGING)).sort()[0]!
  return {dir, outside, stagingFile}
}

const canonSha = (dir: string) => sha256Hex(canonBytes(dir)!)
const begin = (dir: string, fields: Record<string, unknown>) => ({
  type: 'begin',
  tx: TX,
  kind: 'merge',
  at: '2026-12-01T22:51:45.000Z',
  planId: 'a'.repeat(64),
  target: null,
  // canon "is as planned": the old recovery then committed it and moved the staging files
  before: 'b'.repeat(64),
  after: canonSha(dir),
  backup: `.wicker/backups/000001-${TX}-bbbbbbbb.json`,
  moves: [],
  counts: {added: 1, updated: 0, adopted: 0},
  ...fields,
})
const plant = (dir: string, ...records: object[]) => writeTree(dir, {'.wicker/journal.ndjson': records.map((r) => `${JSON.stringify(r)}\n`).join('')})

const cases: Array<[string, (c: ReturnType<typeof hostileCourse>) => object]> = [
  ['a move from ../outside into the course', ({dir}) => begin(dir, {moves: [['../outside/x.json', `${STAGING}/.applied/${TX}/x.json`, sha256Hex('{"zorvel": "plim"}\n')]]})],
  ['a move from an absolute path', ({dir, outside}) => begin(dir, {moves: [[join(outside, 'x.json'), `${STAGING}/.applied/${TX}/x.json`, sha256Hex('{"zorvel": "plim"}\n')]]})],
  ['a move of a staging file to ../outside', ({dir, stagingFile}) => begin(dir, {moves: [[`${STAGING}/${stagingFile}`, '../outside/planted.json', sha256Hex(readFileSync(join(dir, STAGING, stagingFile)))]]})],
  [
    'a move through a symlinked staging subfolder',
    ({dir, outside}) => {
      symlinkSync(join(outside, 'keep'), join(dir, STAGING, 'linked'))
      return begin(dir, {moves: [[`${STAGING}/linked/notes.txt`, `${STAGING}/.applied/${TX}/linked/notes.txt`, sha256Hex('vesk lurn\n')]]})
    },
  ],
  [
    'a tx id with ../ (the temp file name rolled back would be outside)',
    ({dir}) => {
      // the folder the kernel needs for `lego_baskets.json.merge-../..` to resolve
      mkdirSync(join(dir, 'lego_baskets.json.merge-..'))
      return begin(dir, {tx: 'merge-../../../outside/evil', before: canonSha(dir), after: 'c'.repeat(64), backup: null})
    },
  ],
  ['a backup named outside .wicker/backups', ({dir}) => begin(dir, {backup: '../outside/x.json', moves: []})],
]

describe('a planted journal is refused, never obeyed', () => {
  for (const [name, record] of cases) {
    it(`${name}: nothing outside (or in staging) changes, and the message names the record`, async () => {
      const c = hostileCourse()
      plant(c.dir, record(c))
      const outsideBefore = snapshotTree(c.outside)
      const stagingBefore = snapshotTree(join(c.dir, STAGING))
      const canonBefore = canonBytes(c.dir)

      const error = await runExtract({course: c.dir, cwd: c.dir}).then(() => null, (e: unknown) => e)
      expect(error).toMatchObject({code: 'E_JOURNAL_RECORD', exitCode: 3})
      expect((error as Error).message).toContain(`${wickerPaths(c.dir).journal} line 1`)
      expect((error as {hint: string}).hint).toMatch(/wicker recover .* --abandon (merge-|line-1)/)
      // merge refuses it the same way
      await expect(runMerge({course: c.dir, cwd: c.dir, yes: true})).rejects.toMatchObject({code: 'E_JOURNAL_RECORD'})

      expect(snapshotTree(c.outside)).toEqual(outsideBefore)
      expect(snapshotTree(join(c.dir, STAGING))).toEqual(stagingBefore)
      expect(canonBytes(c.dir)).toEqual(canonBefore)
    })
  }

  it('status reports the refused line instead of failing; recover --abandon clears it and the next merge works', async () => {
    const c = hostileCourse()
    plant(c.dir, cases[0]![1](c))
    const status = await runStatus({course: c.dir, cwd: c.dir})
    expect(status.result.interrupted).toBe(TX)
    const outsideBefore = snapshotTree(c.outside)
    const {result} = await runRecover({course: c.dir, cwd: c.dir, abandon: TX})
    expect(result.outcome).toBe('abandoned')
    expect(transactions(await readJournal(realDisk, wickerPaths(c.dir))).map((t) => t.status)).toEqual(['abandoned'])
    const merged = (await runMerge({course: c.dir, cwd: c.dir, yes: true})).result
    expect(merged.status).toBe('merged')
    expect(snapshotTree(c.outside)).toEqual(outsideBefore)
  })

  it('a line that is not a record at all (tx with ../, missing fields) is named as line-N and can be abandoned', async () => {
    const c = hostileCourse()
    writeTree(c.dir, {'.wicker/journal.ndjson': `${JSON.stringify({type: 'commit', tx: '../../outside/evil', at: 'x'})}\n`})
    expect((await runStatus({course: c.dir, cwd: c.dir})).warnings.join('\n')).toMatch(/line 1 is not a record wicker wrote .*--abandon line-1/)
    await expect(runExtract({course: c.dir, cwd: c.dir})).rejects.toMatchObject({code: 'E_JOURNAL_RECORD', hint: expect.stringContaining('--abandon line-1')})
    await runRecover({course: c.dir, cwd: c.dir, abandon: 'line-1'})
    await expect(runExtract({course: c.dir, cwd: c.dir})).resolves.toBeDefined()
  })
})

describe('a .wicker folder that is a symlink out of the course', () => {
  it('merge refuses before it appends a journal record there or writes a backup', async () => {
    const c = hostileCourse()
    const elsewhere = join(dirname(c.dir), 'outside', 'wicker-state')
    mkdirSync(elsewhere)
    symlinkSync(elsewhere, join(c.dir, '.wicker'))
    const before = snapshotTree(c.outside)
    // the lock is the first thing a writer takes, and it refuses a lock folder that is not a real folder
    await expect(runMerge({course: c.dir, cwd: c.dir, yes: true})).rejects.toMatchObject({code: 'E_LOCK_FOLDER', exitCode: 2})
    expect(snapshotTree(c.outside)).toEqual(before)
  })
})

describe('restore reads only a backup wicker named', () => {
  it('a planted, committed merge whose backup is outside the course: refused, canon unchanged', async () => {
    const {runRestore} = await import('../../../src/core/merge/restore.js')
    const c = hostileCourse()
    const record = begin(c.dir, {before: sha256Hex('{"zorvel": "plim"}\n'), backup: '../outside/x.json'})
    plant(c.dir, record, {type: 'commit', tx: TX, at: '2026-12-01T22:51:46.000Z'}, {type: 'done', tx: TX, at: '2026-12-01T22:51:47.000Z'})
    const canonBefore = canonBytes(c.dir)
    await expect(runRestore({course: c.dir, cwd: c.dir})).rejects.toMatchObject({code: 'E_JOURNAL_RECORD', message: expect.stringContaining('line 1')})
    expect(canonBytes(c.dir)).toEqual(canonBefore)
  })
})

describe('a plan file is a course file too', () => {
  const variants: Array<[string, (c: ReturnType<typeof hostileCourse>) => {file: string; stagingDir: string; bytes: Buffer | string}]> = [
    ['a staging file outside the course', () => ({file: '../outside/x.json', stagingDir: '..', bytes: '{"zorvel": "plim"}\n'})],
    ['a course file that is not in a staging folder (lego_pairs.json)', (c) => ({file: 'lego_pairs.json', stagingDir: '.', bytes: readFileSync(join(c.dir, 'lego_pairs.json'))})],
  ]
  for (const [name, hostile] of variants) {
    it(`a plan consuming ${name} is refused before anything is written`, async () => {
      const {planDigest} = await import('../../../src/core/preview/plan.js')
      const {runPreview} = await import('../../../src/core/preview/run.js')
      const c = hostileCourse()
      const out = join(c.dir, 'p.json')
      await runPreview({course: c.dir, cwd: c.dir, out})
      const plan = JSON.parse(readFileSync(out, 'utf8'))
      const h = hostile(c)
      plan.consume.push({file: h.file, stagingDir: h.stagingDir})
      plan.staging.push({file: h.file, sha256: sha256Hex(h.bytes)})
      const {planId, createdAt, ...body} = plan
      void planId
      void createdAt
      plan.planId = planDigest(body)
      writeTree(c.dir, {'p.json': plan})
      const outsideBefore = snapshotTree(c.outside)
      const courseBefore = snapshotTree(c.dir)
      await expect(runMerge({course: c.dir, cwd: c.dir, plan: out})).rejects.toMatchObject({code: 'E_PLAN_OUTSIDE_STAGING', exitCode: 2})
      expect(snapshotTree(c.outside)).toEqual(outsideBefore)
      expect(readdirSync(dirname(c.dir)).sort()).toEqual(['outside', c.dir.split('/').pop()!].sort())
      const after = snapshotTree(c.dir)
      for (const [path, bytes] of Object.entries(courseBefore)) expect(after[path], path).toBe(bytes)
      expect(Object.keys(after).filter((p) => !p.startsWith('.wicker/'))).toEqual(Object.keys(courseBefore))
    })
  }
})
