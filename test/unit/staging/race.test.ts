import {spawn, type ChildProcess} from 'node:child_process'
import {appendFileSync, mkdirSync, renameSync, symlinkSync, unlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../../src/core/course/load.js'
import {WickerError} from '../../../src/core/errors.js'
import {extractFor} from '../../../src/core/extract/run.js'
import {wickerIn} from '../../helpers/cli-in.js'
import {basketsFor, stagingCourse} from '../../helpers/staging.js'

/**
 * A real second process changes staging while extract reads it: a mover that does what a merge does
 * (renames the first 40 files into .applied/<tx>/, in name order), or a churner that keeps adding files. Every
 * outcome must be a consistent extraction or the clear exit 3, never an I/O error or a bug.
 */
const MOVER = String.raw`
const fs = require('node:fs'), path = require('node:path')
const [dir] = process.argv.slice(1)
const names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort().slice(0, 40)
fs.mkdirSync(path.join(dir, '.applied', 'tx1'), {recursive: true})
process.stdout.write('go\n')
const pause = new Int32Array(new SharedArrayBuffer(4))
for (const name of names) {
  fs.renameSync(path.join(dir, name), path.join(dir, '.applied', 'tx1', name))
  Atomics.wait(pause, 0, 0, 1)
}
`
const CHURNER = String.raw`
const fs = require('node:fs'), path = require('node:path')
const [dir] = process.argv.slice(1)
process.stdout.write('go\n')
for (let i = 0; ; i++) {
  fs.writeFileSync(path.join(dir, 'churn.tmp'), '{"note": "zib"}')
  fs.renameSync(path.join(dir, 'churn.tmp'), path.join(dir, 'churn-' + i + '.json'))
  if (i > 0) fs.unlinkSync(path.join(dir, 'churn-' + (i - 1) + '.json'))
}
`

function start(script: string, dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', script, dir], {stdio: ['ignore', 'pipe', 'inherit']})
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child))
    child.once('error', reject)
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

describe('extract while another process changes staging', async () => {
  const synth = stagingCourse(40, 61)
  const course = await loadCourse(synth.dir)
  const baskets = course.seeds.flatMap((_, i) => basketsFor(course, i))
  const names = baskets.map((b, i) => `agent${String(i).padStart(3, '0')}.json`)

  it('gives, in every trial, a consistent staging (the files not yet moved, all of them) or exit 3', async () => {
    const outcomes = {consistent: 0, blocked: 0}
    for (let trial = 0; trial < 6; trial++) {
      const dir = join(synth.dir, `staging-${trial}`)
      mkdirSync(dir)
      baskets.forEach((b, i) => writeFileSync(join(dir, names[i]!), JSON.stringify({[b.lego.id]: {practice_phrases: b.phrases}})))
      const mover = await start(MOVER, dir)
      try {
        // start later in each trial, so the reads meet the mover at different points
        await new Promise((r) => setTimeout(r, trial * 12))
        const x = await extractFor(course, {staging: [dir]}, synth.dir)
        const used = x.files.filter((f) => f.status === 'used').map((f) => f.file.split('/').pop()!)
        // the mover goes in name order, so a consistent staging is exactly the names from some point on
        expect(used).toEqual(names.slice(names.length - used.length))
        expect(x.files.every((f) => f.status === 'used')).toBe(true)
        expect(x.candidates.map((c) => c.sources[0]!.file.split('/').pop()).sort()).toEqual(used)
        outcomes.consistent++
      } catch (error) {
        expect(error).toBeInstanceOf(WickerError)
        expect(error).toMatchObject({code: 'E_STAGING_CHANGING', exitCode: 3})
        outcomes.blocked++
      } finally {
        await stop(mover)
      }
    }
    expect(outcomes.consistent + outcomes.blocked).toBe(6)
  })

  it('runs the CLI beside a process that keeps changing staging: exit 0 with what was there, or exit 3 "run again", never 4 or 10', async () => {
    const dir = join(synth.dir, 'phase5_baskets_staging')
    mkdirSync(dir, {recursive: true})
    baskets.slice(0, 20).forEach((b, i) => writeFileSync(join(dir, names[i]!), JSON.stringify({[b.lego.id]: {practice_phrases: b.phrases}})))
    const churner = await start(CHURNER, dir)
    try {
      for (const command of ['extract', 'preview']) {
        // in process: the churner beside it is the other process
        const run = await wickerIn([command, synth.dir, '--json'])
        expect([0, 3], `${command}: ${run.stdout.slice(0, 300)}`).toContain(run.code)
        if (run.code === 3) expect(run.json).toMatchObject({status: 3, name: 'E_STAGING_CHANGING', message: expect.stringContaining('staging is changing (a merge is moving files?)'), hint: expect.stringContaining('again')})
        if (run.code === 0 && command === 'extract') expect(run.json.result.candidates).toBe(20)
      }
    } finally {
      await stop(churner)
    }
  })
})

describe('extract when staging changes between the scan and the reads', async () => {
  const synth = stagingCourse(6, 62)
  const course = await loadCourse(synth.dir)
  const baskets = basketsFor(course, 0)
  const write = (dir: string, name: string, i: number) => writeFileSync(join(dir, name), JSON.stringify({[baskets[i]!.lego.id]: {practice_phrases: baskets[i]!.phrases}}))

  it('scans again when a scanned file was moved away, and extracts what staging holds then', async () => {
    const dir = join(synth.dir, 'moved')
    mkdirSync(join(dir, '.applied', 'tx1'), {recursive: true})
    write(dir, 'a.json', 0)
    write(dir, 'b.json', 1)
    const attempts: number[] = []
    const x = await extractFor(course, {staging: [dir]}, synth.dir, {
      afterScan: async (attempt) => {
        attempts.push(attempt)
        if (attempt === 1) renameSync(join(dir, 'a.json'), join(dir, '.applied', 'tx1', 'a.json'))
      },
    })
    expect(attempts).toEqual([1, 2])
    expect(x.files.map((f) => [f.file.split('/').pop(), f.status])).toEqual([['b.json', 'used']])
    expect(x.candidates.map((c) => c.id)).toEqual([baskets[1]!.lego.id])
  })

  it('passes over a file still being written in place (it grew since the scan): read next time, the rest of staging read now', async () => {
    const dir = join(synth.dir, 'growing')
    mkdirSync(dir)
    write(dir, 'a.json', 0)
    write(dir, 'b.json', 1)
    const x = await extractFor(course, {staging: [dir]}, synth.dir, {
      afterScan: async (attempt) => {
        if (attempt === 1) appendFileSync(join(dir, 'a.json'), '\n')
      },
    })
    expect(x.files.map((f) => [f.file.split('/').pop(), f.status, f.sha256])).toEqual([
      ['a.json', 'skipped', null],
      ['b.json', 'used', expect.stringMatching(/^[0-9a-f]{64}$/)],
    ])
    expect(x.problems).toEqual([expect.objectContaining({kind: 'being-written', file: expect.stringMatching(/a\.json$/)})])
    expect(x.candidates.map((c) => c.id)).toEqual([baskets[1]!.lego.id])
  })

  it('scans again when a scanned file was replaced by another one (same name, another inode)', async () => {
    const dir = join(synth.dir, 'replaced')
    mkdirSync(dir)
    write(dir, 'a.json', 0)
    const x = await extractFor(course, {staging: [dir]}, synth.dir, {
      afterScan: async (attempt) => {
        if (attempt === 1) {
          write(dir, 'a.json.tmp', 1)
          renameSync(join(dir, 'a.json.tmp'), join(dir, 'a.json'))
        }
      },
    })
    expect(x.candidates.map((c) => c.id)).toEqual([baskets[1]!.lego.id])
  })

  it('refuses, not follows, a scanned file replaced by a symlink out of staging', async () => {
    const dir = join(synth.dir, 'linked')
    mkdirSync(dir)
    write(dir, 'a.json', 0)
    const outside = join(synth.dir, 'outside.json')
    write(synth.dir, 'outside.json', 2)
    const x = await extractFor(course, {staging: [dir]}, synth.dir, {
      afterScan: async (attempt) => {
        if (attempt === 1) {
          unlinkSync(join(dir, 'a.json'))
          symlinkSync(outside, join(dir, 'a.json'))
        }
      },
    })
    expect(x.candidates).toEqual([])
    expect(x.problems).toEqual([expect.objectContaining({kind: 'symlink'})])
  })

  it('stops with E_STAGING_CHANGING (exit 3) after 3 attempts when staging changes every time', async () => {
    const dir = join(synth.dir, 'churning')
    mkdirSync(dir)
    write(dir, 'a.json', 0)
    const attempts: number[] = []
    const run = extractFor(course, {staging: [dir]}, synth.dir, {
      afterScan: async (attempt) => {
        attempts.push(attempt)
        write(dir, `new-${attempt}.json`, 1)
      },
    })
    await expect(run).rejects.toMatchObject({code: 'E_STAGING_CHANGING', exitCode: 3, message: expect.stringMatching(/^staging is changing \(a merge is moving files\?\)/)})
    expect(attempts).toEqual([1, 2, 3])
  })
})
