import {cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {runExtract} from '../../../src/core/extract/run.js'
import {runMerge} from '../../../src/core/merge/run.js'
import {runRestore} from '../../../src/core/merge/restore.js'
import {realDisk, type Disk} from '../../../src/core/store/disk.js'
import {readJournal, transactions} from '../../../src/core/store/journal.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {snapshotTree, tempDir} from '../../helpers/fs.js'
import {canonBytes, flowCourse} from '../../helpers/flow.js'

const STAGING = 'phase5_baskets_staging'

/** A course whose agent files sit in a folder outside it, merged with --staging there and killed after `commit`. */
async function interruptedExternalMerge() {
  const f = flowCourse({seeds: 6})
  const ext = join(tempDir('wicker-ext-'), 'batch')
  cpSync(join(f.dir, STAGING), ext, {recursive: true})
  rmSync(join(f.dir, STAGING), {recursive: true})
  const files = readdirSync(ext).sort()
  const {result} = await runMerge({course: f.dir, cwd: f.dir, staging: [ext], yes: true})
  expect(result.status).toBe('merged')
  // undo the staging moves and drop the `done` line: what a kill after `commit` leaves
  for (const name of files) renameSync(join(ext, '.applied', result.tx!, name), join(ext, name))
  const journal = wickerPaths(f.dir).journal
  const lines = readFileSync(journal, 'utf8').trimEnd().split('\n')
  expect(JSON.parse(lines.at(-1)!).type).toBe('done')
  writeFileSync(journal, `${lines.slice(0, -1).join('\n')}\n`)
  return {dir: f.dir, ext, files, tx: result.tx!}
}

const status = async (dir: string) => transactions(await readJournal(realDisk, wickerPaths(dir))).map((t) => [t.status, t.done])

describe('an interrupted merge made with --staging outside the course', () => {
  it('merge with the same --staging finishes it and moves the consumed files (was: E_JOURNAL_RECORD, exit 3)', async () => {
    const c = await interruptedExternalMerge()
    const {result, warnings} = await runMerge({course: c.dir, cwd: c.dir, staging: [c.ext], yes: true})
    expect(result.recovered.join('\n')).toContain(`finished merge ${c.tx}: moved ${c.files.length}`)
    expect(result.status).toBe('nothing-to-do')
    expect(readdirSync(c.ext)).toEqual(['.applied'])
    expect(readdirSync(join(c.ext, '.applied', c.tx)).sort()).toEqual(c.files)
    expect(warnings.join('\n')).not.toContain('was not moved')
    expect(await status(c.dir)).toEqual([['committed', true]])
  })

  it('a command without that --staging finishes canon and state, leaves the files where they are, and says so', async () => {
    const c = await interruptedExternalMerge()
    const before = snapshotTree(c.ext)
    const canon = canonBytes(c.dir)
    const {warnings} = await runExtract({course: c.dir, cwd: c.dir})
    expect(warnings.join('\n')).toContain(`finished merge ${c.tx}`)
    expect(warnings.join('\n')).toMatch(/was not moved to .*not named with --staging.*pass --staging/)
    expect(snapshotTree(c.ext)).toEqual(before)
    expect(canonBytes(c.dir)).toEqual(canon)
    expect(await status(c.dir)).toEqual([['committed', true]])
    // and the next merge reading that folder finds their baskets identical: nothing to merge, no transaction
    const next = await runMerge({course: c.dir, cwd: c.dir, staging: [c.ext], yes: true})
    expect(next.result.status).toBe('nothing-to-do')
    expect(snapshotTree(c.ext)).toEqual(before)
  })

  it('restore of such a merge works without --staging (canon back), and --restage with it puts the files back', async () => {
    const f = flowCourse({seeds: 6})
    const ext = join(tempDir('wicker-ext-'), 'batch')
    cpSync(join(f.dir, STAGING), ext, {recursive: true})
    rmSync(join(f.dir, STAGING), {recursive: true})
    const canon = canonBytes(f.dir)
    const files = readdirSync(ext).sort()
    await runMerge({course: f.dir, cwd: f.dir, staging: [ext], yes: true})
    const {result} = await runRestore({course: f.dir, cwd: f.dir, restage: true, staging: [ext]})
    expect(canonBytes(f.dir)).toEqual(canon)
    expect(result.restaged).toHaveLength(files.length)
    expect(readdirSync(ext).filter((n) => n !== '.applied').sort()).toEqual(files)
  })
})

describe('recovery run by extract, launch and prepare-segments', () => {
  it('a lock file wicker cannot read is reported (E_LOCK_INVALID, exit 2), not taken for another process at work', async () => {
    const c = await interruptedExternalMerge()
    writeFileSync(wickerPaths(c.dir).lock, 'plonk\n')
    await expect(runExtract({course: c.dir, cwd: c.dir, staging: [c.ext]})).rejects.toMatchObject({code: 'E_LOCK_INVALID', exitCode: 2})
    expect(await status(c.dir)).toEqual([['committed', false]])
  })
})

describe('staging moves and restoring "no canon" never remove or replace a file they did not check', () => {
  it('a file that appears at the .applied/ place at the last moment is kept, and the staging file stays', async () => {
    const f = flowCourse({seeds: 6})
    const racer = Buffer.from('{"zindle": "mine"}\n')
    // another process creates the target just before the move: the moment a check-then-rename loses it
    const racing: Disk = {
      ...realDisk,
      rename: async (from, to) => {
        if (to.includes('/.applied/') && !existsSync(to)) writeFileSync(to, racer)
        return realDisk.rename(from, to)
      },
      link: async (from, to) => {
        if (to.includes('/.applied/') && !existsSync(to)) writeFileSync(to, racer)
        return realDisk.link(from, to)
      },
    }
    const files = readdirSync(join(f.dir, STAGING)).sort()
    const {result, warnings} = await runMerge({course: f.dir, cwd: f.dir, yes: true, disk: racing})
    expect(result.status).toBe('merged')
    for (const name of files) expect(readFileSync(join(f.dir, STAGING, '.applied', result.tx!, name))).toEqual(racer)
    expect(readdirSync(join(f.dir, STAGING)).filter((n) => n !== '.applied').sort()).toEqual(files)
    expect(warnings.join('\n')).toContain('already exists (never overwritten)')
  })

  it('restore to "no canon": canon replaced outside wicker meanwhile is kept (E_CANON_CHANGED, exit 3), not unlinked', async () => {
    const f = flowCourse({seeds: 6})
    const file = join(f.dir, 'lego_baskets.json')
    rmSync(file)
    await runMerge({course: f.dir, cwd: f.dir, yes: true})
    const edited = `${readFileSync(file, 'utf8').trimEnd()}\n`.replace(/\n}\n$/, ',\n  "quorl": "hand"\n}\n')
    let done = false
    // the edit lands after restore has read canon and backed it up, before it removes canon
    const editing: Disk = {
      ...realDisk,
      syncDir: async (p) => {
        await realDisk.syncDir(p)
        if (!done && p === wickerPaths(f.dir).backups) {
          done = true
          writeFileSync(`${file}.new`, edited)
          renameSync(`${file}.new`, file)
        }
      },
    }
    await expect(runRestore({course: f.dir, cwd: f.dir, disk: editing})).rejects.toMatchObject({code: 'E_CANON_CHANGED', exitCode: 3})
    expect(done).toBe(true)
    expect(readFileSync(file, 'utf8')).toBe(edited)
  })
})
