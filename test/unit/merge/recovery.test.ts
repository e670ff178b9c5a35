import {appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {sha256Hex} from '../../../src/core/hash.js'
import {runMerge} from '../../../src/core/merge/run.js'
import {runRecover} from '../../../src/core/merge/run-recover.js'
import {runRestore} from '../../../src/core/merge/restore.js'
import {runPreview} from '../../../src/core/preview/run.js'
import {runStatus} from '../../../src/core/status/status.js'
import {realDisk, type Disk} from '../../../src/core/store/disk.js'
import {readJournal, transactions} from '../../../src/core/store/journal.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {snapshotTree} from '../../helpers/fs.js'
import {FaultyDisk, canonBytes, copyCourse, flowCourse} from '../../helpers/flow.js'

const STAGING = 'phase5_baskets_staging'
const template = flowCourse({seeds: 8})
const plan = join(template.dir, 'plan.json')
const txs = async (dir: string) => transactions(await readJournal(realDisk, wickerPaths(dir)))
/** every *.tmp file anywhere in the course */
const temps = (dir: string) => Object.keys(snapshotTree(dir)).filter((p) => p.endsWith('.tmp'))

/** The steps of a clean merge of the plan, to aim a fault at one of them. */
let log: string[] = []
const stepOf = (what: string, file: string) => log.findIndex((l) => l.includes(` ${what} `) && l.includes(file)) + 1
beforeAll(async () => {
  await runPreview({course: template.dir, cwd: template.dir, out: plan})
  const counting = new FaultyDisk(Number.MAX_SAFE_INTEGER, 'EIO', false)
  const dir = copyCourse(template.dir)
  await runMerge({course: dir, cwd: dir, plan, disk: counting})
  log = counting.log
})

/** A course where merge died after its `begin`, before canon was replaced. */
async function interruptedBeforeRename() {
  const dir = copyCourse(template.dir)
  await runMerge({course: dir, cwd: dir, plan, disk: new FaultyDisk(stepOf('rename', 'lego_baskets.json.merge-'), 'EIO', true)}).catch(() => undefined)
  const open = (await txs(dir)).at(-1)!
  expect(open.status).toBe('open')
  return {dir, tx: open.begin.tx}
}

describe('a merge interrupted, then canon changed outside wicker (E_RECOVERY)', () => {
  it('is refused with the exact way out; recover --abandon backs up the current canon, changes nothing else, and the next merge works', async () => {
    const {dir, tx} = await interruptedBeforeRename()
    // a hand edit, as a user fixing a typo would make
    const edited = JSON.parse(readFileSync(join(dir, 'lego_baskets.json'), 'utf8'))
    edited.metadata = {...edited.metadata, note: 'zembla frot'}
    writeFileSync(join(dir, 'lego_baskets.json'), `${JSON.stringify(edited, null, 2)}\n`)
    const editedBytes = canonBytes(dir)!

    const error = await runMerge({course: dir, cwd: dir, yes: true}).then(() => null, (e: unknown) => e)
    expect(error).toMatchObject({code: 'E_RECOVERY', exitCode: 3})
    expect((error as {hint: string}).hint).toContain(`wicker recover ${dir} --abandon ${tx}`)

    const staging = snapshotTree(join(dir, STAGING))
    await expect(runRecover({course: dir, cwd: dir, abandon: 'merge-20991231T000000Z-000000'})).rejects.toMatchObject({code: 'E_NO_TX', exitCode: 2, hint: expect.stringContaining(tx)})
    const {result} = await runRecover({course: dir, cwd: dir, abandon: tx})
    expect(result).toMatchObject({outcome: 'abandoned', tx, canon: {sha256: sha256Hex(editedBytes)}})
    // the backup is a real copy (not a link to the live file) of exactly the canon that was there
    expect(lstatSync(join(dir, result.backup!)).isFile()).toBe(true)
    expect(lstatSync(join(dir, result.backup!)).nlink).toBe(1)
    expect(readFileSync(join(dir, result.backup!))).toEqual(editedBytes)
    expect(canonBytes(dir)).toEqual(editedBytes)
    expect(snapshotTree(join(dir, STAGING))).toEqual(staging)
    expect((await txs(dir)).at(-1)).toMatchObject({status: 'abandoned'})
    expect((await runStatus({course: dir, cwd: dir})).result).toMatchObject({interrupted: null, abandoned: [tx]})

    // the way is clear: the next merge plans from the edited canon and keeps the edit
    const next = (await runMerge({course: dir, cwd: dir, yes: true})).result
    expect(next.status).toBe('merged')
    expect(JSON.parse(readFileSync(join(dir, 'lego_baskets.json'), 'utf8')).metadata.note).toBe('zembla frot')
    expect(readdirSync(join(dir, STAGING))).toEqual(['.applied'])
  })

  it('recover without --abandon rolls back what it can and says so', async () => {
    const {dir, tx} = await interruptedBeforeRename()
    const {result} = await runRecover({course: dir, cwd: dir})
    expect(result).toMatchObject({outcome: 'rolled-back', tx})
    expect(result.notes.join('\n')).toMatch(/rolled back merge .*canon is as it was/)
    expect(temps(dir)).toEqual([])
    expect((await runRecover({course: dir, cwd: dir})).result.outcome).toBe('none')
  })
})

describe('staging files are moved only when their bytes are the recorded ones', () => {
  it('a file changed after the merge read it stays in staging, with a warning; the others move', async () => {
    const dir = copyCourse(template.dir)
    // die right after canon was replaced: the next command finishes the transaction
    await runMerge({course: dir, cwd: dir, plan, disk: new FaultyDisk(stepOf('rename', 'lego_baskets.json.merge-') + 1, 'EIO', true)}).catch(() => undefined)
    const names = readdirSync(join(dir, STAGING)).filter((n) => !n.startsWith('.')).sort()
    appendFileSync(join(dir, STAGING, names[0]!), '\n')
    const {result, warnings} = await runMerge({course: dir, cwd: dir, plan})
    expect(result.status).toBe('already-applied')
    expect(warnings.join('\n')).toContain(`${STAGING}/${names[0]} was not moved: its bytes changed`)
    expect(readdirSync(join(dir, STAGING)).sort()).toEqual(['.applied', names[0]!])
    expect(readdirSync(join(dir, STAGING, '.applied', result.tx!)).sort()).toEqual(names.slice(1))
  })
})

describe('a begin record from before hashes were recorded (moves [from, to])', () => {
  it('is finished, but its staging files are not moved by path alone; they stay in staging, and the next merge has nothing to do', async () => {
    const dir = copyCourse(template.dir)
    await runMerge({course: dir, cwd: dir, plan, disk: new FaultyDisk(stepOf('rename', 'lego_baskets.json.merge-') + 1, 'EIO', true)}).catch(() => undefined)
    const journal = wickerPaths(dir).journal
    const lines = readFileSync(journal, 'utf8').split('\n')
    const old = JSON.parse(lines[0]!)
    old.moves = old.moves.map(([from, to]: string[]) => [from, to])
    writeFileSync(journal, [JSON.stringify(old), ...lines.slice(1)].join('\n'))
    const staged = readdirSync(join(dir, STAGING)).filter((n) => !n.startsWith('.')).sort()

    const {result, warnings} = await runMerge({course: dir, cwd: dir, plan})
    expect(result.status).toBe('already-applied')
    expect(warnings.join('\n')).toMatch(/was not moved: the journal record does not say its hash/)
    expect(readdirSync(join(dir, STAGING)).filter((n) => !n.startsWith('.')).sort()).toEqual(staged)
    const next = (await runMerge({course: dir, cwd: dir, yes: true})).result
    // their baskets are in canon: nothing to merge, and no transaction only to move them
    expect(next).toMatchObject({status: 'nothing-to-do', tx: null})
    expect(readdirSync(join(dir, STAGING)).filter((n) => !n.startsWith('.')).sort()).toEqual(staged)
  })
})

describe('restore --restage through the checked moves', () => {
  it('restoring a restore with --restage moves the staging files into .applied/<merge>/ again', async () => {
    const dir = copyCourse(template.dir)
    const merged = (await runMerge({course: dir, cwd: dir, yes: true})).result
    const files = readdirSync(join(dir, STAGING, '.applied', merged.tx!)).sort()
    const undone = (await runRestore({course: dir, cwd: dir, restage: true})).result
    expect(undone.restaged).toHaveLength(files.length)
    expect(readdirSync(join(dir, STAGING)).filter((n) => !n.startsWith('.')).sort()).toEqual(files)
    const redone = (await runRestore({course: dir, cwd: dir, tx: undone.tx, restage: true})).result
    expect(redone.restaged).toHaveLength(files.length)
    expect(readdirSync(join(dir, STAGING, '.applied', merged.tx!)).sort()).toEqual(files)
    expect(sha256Hex(canonBytes(dir)!)).toBe(merged.canon.after.sha256)
  })
})

describe('canon that is a symlink', () => {
  it('inside the course: merge writes through to the target, the backup is a real copy, and restore gives the bytes back', async () => {
    const dir = copyCourse(template.dir)
    mkdirSync(join(dir, 'shared'))
    renameSync(join(dir, 'lego_baskets.json'), join(dir, 'shared', 'lego_baskets.json'))
    symlinkSync(join('shared', 'lego_baskets.json'), join(dir, 'lego_baskets.json'))
    const before = canonBytes(dir)!
    const {result} = await runMerge({course: dir, cwd: dir, yes: true})
    expect(result.status).toBe('merged')
    expect(readlinkSync(join(dir, 'lego_baskets.json'))).toBe(join('shared', 'lego_baskets.json'))
    expect(sha256Hex(readFileSync(join(dir, 'shared', 'lego_baskets.json')))).toBe(result.canon.after.sha256)
    expect(lstatSync(join(dir, result.backup!)).isSymbolicLink()).toBe(false)
    expect(readFileSync(join(dir, result.backup!))).toEqual(before)
    expect(temps(dir)).toEqual([])

    const restored = (await runRestore({course: dir, cwd: dir})).result
    expect(restored.restored).toBe(result.tx)
    expect(lstatSync(join(dir, 'lego_baskets.json')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(dir, 'shared', 'lego_baskets.json'))).toEqual(before)
  })

  it('outside the course: refused (exit 2, E_CANON_LINK) and neither the link nor its target changes', async () => {
    const dir = copyCourse(template.dir)
    const shared = join(dirname(dir), 'shared-checkout')
    mkdirSync(shared)
    renameSync(join(dir, 'lego_baskets.json'), join(shared, 'lego_baskets.json'))
    symlinkSync(join(shared, 'lego_baskets.json'), join(dir, 'lego_baskets.json'))
    const outside = snapshotTree(shared)
    const error = await runMerge({course: dir, cwd: dir, yes: true}).then(() => null, (e: unknown) => e)
    expect(error).toMatchObject({code: 'E_CANON_LINK', exitCode: 2, hint: expect.stringContaining('replace the link with a copy')})
    expect((error as Error).message).toContain('outside the course folder')
    expect(snapshotTree(shared)).toEqual(outside)
    expect(readlinkSync(join(dir, 'lego_baskets.json'))).toBe(join(shared, 'lego_baskets.json'))
    expect(readdirSync(join(dir, STAGING)).filter((n) => n === '.applied')).toEqual([])
  })
})

describe('disk full right after canon was replaced', () => {
  it('at every later step: exit 4 saying canon was replaced and the next command finishes; no temp file; the next merge does finish', async () => {
    const renamed = stepOf('rename', 'lego_baskets.json.merge-')
    expect(renamed).toBeGreaterThan(0)
    let failures = 0
    for (let k = renamed + 1; k <= log.length; k++) {
      const dir = copyCourse(template.dir)
      const error = await runMerge({course: dir, cwd: dir, plan, disk: new FaultyDisk(k, 'ENOSPC', false, false, true)}).then(() => null, (e: unknown) => e)
      if (error === null) continue // nothing was written from that step on
      failures++
      expect(error, `step ${k}: ${log[k - 1]}`).toMatchObject({code: 'E_IO_ENOSPC', exitCode: 4, details: {canon: 'replaced'}})
      expect((error as Error).message).toMatch(/canon was replaced and is as planned .* the next wicker command on this course .* finishes the transaction/)
      expect(temps(dir), `step ${k}`).toEqual([])
      const after = (await txs(dir)).at(-1)!.begin.after
      expect(sha256Hex(canonBytes(dir)!)).toBe(after)

      const next = await runMerge({course: dir, cwd: dir, plan})
      expect(next.result.status).toBe('already-applied')
      const final = await txs(dir)
      expect(final.map((t) => [t.status, t.done])).toEqual([['committed', true]])
      expect(readdirSync(join(dir, STAGING))).toEqual(['.applied'])
      expect(temps(dir)).toEqual([])
    }
    expect(failures).toBeGreaterThan(3)
  })
})

/** A Disk on which someone edits canon just before merge renames its temp file over it. */
function editingDisk(canon: string, edit: () => void): Disk {
  let done = false
  return {
    ...realDisk,
    writeFile: async (p, d, o) => {
      await realDisk.writeFile(p, d, o)
      if (!done && p.startsWith(`${canon}.merge-`)) {
        done = true
        edit()
      }
    },
  }
}

describe('merge re-checks under the lock that canon is the one it planned from', () => {
  for (const [how, edit] of [
    ['written in place (same inode)', (file: string) => appendFileSync(file, ' ')],
    ['replaced by rename, same bytes and size (a git checkout)', (file: string) => {
      writeFileSync(`${file}.new`, readFileSync(file))
      renameSync(`${file}.new`, file)
    }],
  ] as const) {
    it(`canon ${how} meanwhile: nothing written (exit 3), the edit kept, staging untouched`, async () => {
      const dir = copyCourse(template.dir)
      const file = join(dir, 'lego_baskets.json')
      const staging = snapshotTree(join(dir, STAGING))
      const error = await runMerge({course: dir, cwd: dir, plan, disk: editingDisk(file, () => edit(file))}).then(() => null, (e: unknown) => e)
      expect(error).toMatchObject({code: 'E_CANON_CHANGED', exitCode: 3})
      const edited = canonBytes(dir)!
      expect(sha256Hex(edited)).not.toBe((await txs(dir)).at(-1)!.begin.after)
      expect((await txs(dir)).at(-1)!.status).toBe('aborted')
      expect(snapshotTree(join(dir, STAGING))).toEqual(staging)
      expect(temps(dir)).toEqual([])
      expect(existsSync(wickerPaths(dir).lock)).toBe(false)
    })
  }
})
