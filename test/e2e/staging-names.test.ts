import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {planDigest} from '../../src/core/preview/plan.js'

import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {flowCourse} from '../helpers/flow.js'
import {snapshotTree, tempDir} from '../helpers/fs.js'

const staging = (dir: string) => join(dir, 'phase5_baskets_staging')

describe('staging names wicker cannot or must not follow', () => {
  it('skips and reports a file whose name is not UTF-8; the others extract, preview and merge (exit 0), and it stays where it is', async () => {
    const f = flowCourse({seeds: 10})
    // b\xff.json, a real name with a byte that is not UTF-8, holding a real basket file
    const badName = Buffer.concat([Buffer.from(staging(f.dir)), Buffer.from([0x2f, 0x62, 0xff, 0x2e, 0x6a, 0x73, 0x6f, 0x6e])])
    const content = Buffer.from(f.files[0]!.content)
    writeFileSync(badName, content)

    const x = await wickerIn(['extract', f.dir, '--json'])
    expect(x.code).toBe(0)
    expect(x.stdout + x.stderr).not.toMatch(STACK_TRACE)
    expect(x.json.result.files).toMatchObject({total: f.files.length + 1, used: f.files.length, skipped: 1})
    expect(x.json.result.problems).toEqual([{file: 'phase5_baskets_staging/b\\xff.json', kind: 'bad-name', message: expect.stringContaining('not valid UTF-8')}])
    expect(x.json.result.candidates).toBe(f.baskets.length)

    const p = await wickerIn(['preview', f.dir, '--json'])
    expect(p.code).toBe(0)
    expect(p.json.result.counts.new).toBe(f.baskets.length)

    const m = await wickerIn(['merge', f.dir, '--yes', '--json'])
    expect(m.code).toBe(0)
    expect(m.json.result.added).toHaveLength(f.baskets.length)
    expect(m.json.result.consumed).toHaveLength(f.files.length)
    // never moved, never changed
    expect(readFileSync(badName)).toEqual(content)
    const left = readdirSync(staging(f.dir), {encoding: 'buffer'}).filter((n) => n[0] !== 0x2e)
    expect(left).toEqual([badName.subarray(staging(f.dir).length + 1)])
  })

  it('refuses a staging folder, or a folder inside it, that is a symlink out of the course: nothing outside is read or moved', async () => {
    const f = flowCourse({seeds: 10})
    const outside = tempDir('wicker-outside-')
    // the course's staging folder itself leads outside…
    renameSync(staging(f.dir), join(outside, 'real-staging'))
    symlinkSync(join(outside, 'real-staging'), staging(f.dir))
    // …and so does a folder inside the other staging folder
    const other = join(f.dir, 'phase3_baskets_staging')
    mkdirSync(other)
    mkdirSync(join(outside, 'more'))
    writeFileSync(join(outside, 'more', 'agent9.json'), f.files[0]!.content)
    symlinkSync(join(outside, 'more'), join(other, 'more'))
    const before = snapshotTree(outside)

    const x = await wickerIn(['extract', f.dir, '--json'])
    expect(x.code).toBe(0)
    expect(x.json.result).toMatchObject({candidates: 0, files: {used: 0}})
    expect(x.json.result.problems).toEqual([
      {file: 'phase5_baskets_staging', kind: 'symlink', message: expect.stringContaining('staging folder is a symbolic link')},
      {file: 'phase3_baskets_staging/more', kind: 'symlink', message: expect.stringContaining('symbolic link')},
    ])
    const m = await wickerIn(['merge', f.dir, '--yes', '--json'])
    expect(m.code).toBe(0)
    expect(m.json.result.status).toBe('nothing-to-do')
    expect(snapshotTree(outside)).toEqual(before)
    expect(existsSync(join(outside, 'real-staging', '.applied'))).toBe(false)
  })

  it('refuses a plan whose staging names lead outside the staging folders: nothing is read, moved or written', async () => {
    const f = flowCourse({seeds: 10})
    const parent = join(f.dir, '..')
    const victim = join(parent, 'victim.json')
    writeFileSync(victim, f.files[0]!.content)
    const planFile = join(f.dir, 'plan.json')
    expect((await wickerIn(['preview', f.dir, '--out', planFile])).code).toBe(0)
    const canonBefore = readFileSync(join(f.dir, 'lego_baskets.json'))
    const sha = createHash('sha256').update(readFileSync(victim)).digest('hex')
    for (const hostile of [{file: '../victim.json', stagingDir: '..'}, {file: '../victim.json', stagingDir: 'phase5_baskets_staging'}, {file: 'phase5_baskets_staging/../../victim.json', stagingDir: 'phase5_baskets_staging'}]) {
      const plan = JSON.parse(readFileSync(planFile, 'utf8'))
      plan.consume.push(hostile)
      plan.staging.push({file: hostile.file, sha256: sha})
      const {planId, createdAt, ...body} = plan
      void planId
      void createdAt
      plan.planId = planDigest(body)
      writeFileSync(join(f.dir, 'hostile-plan.json'), JSON.stringify(plan))
      const m = await wickerIn(['merge', f.dir, '--plan', join(f.dir, 'hostile-plan.json'), '--json'])
      expect(m.code, JSON.stringify(hostile)).toBe(2)
      expect(m.json).toMatchObject({name: 'E_PLAN_OUTSIDE_STAGING', message: expect.stringContaining('victim.json')})
      expect(readFileSync(victim, 'utf8')).toBe(f.files[0]!.content)
      expect(existsSync(join(parent, '.applied'))).toBe(false)
      expect(readFileSync(join(f.dir, 'lego_baskets.json'))).toEqual(canonBefore)
    }
  })
})
