import {mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../../bench/synth/generate.js'
import {writeCourse} from '../../../bench/synth/write.js'
import {runLaunch} from '../../../src/core/launch/launch.js'
import {runPrepare} from '../../../src/core/segments/run.js'
import {snapshotTree, tempDir} from '../../helpers/fs.js'

/**
 * A run's plan and packets live in .wicker/runs/, inside a course folder that may have come from
 * anyone. Packet ids and run names become parts of paths, so they are checked before any is used:
 * a planted plan naming `../../outside/victim` is refused, and nothing outside the course is read,
 * written or started.
 */
async function prepared() {
  const dir = writeCourse(tempDir(), generateCourse({seeds: 6, seed: 9, canon: {fill: 0}}))
  const {result} = await runPrepare({course: dir, cwd: dir, packetSize: 20})
  const outside = join(dirname(dir), 'outside')
  mkdirSync(outside, {recursive: true})
  writeFileSync(join(outside, 'victim.json'), '{"id": "x"}\n')
  return {dir, run: result.run, runDir: result.dir, outside}
}

describe('a run planted in a course folder', () => {
  it('is refused when a packet id would lead out of the course, and nothing outside changes', async () => {
    const {dir, run, runDir, outside} = await prepared()
    const file = join(runDir, 'plan.json')
    const plan = JSON.parse(readFileSync(file, 'utf8'))
    plan.packets[0].id = '../../../../outside/victim'
    writeFileSync(file, JSON.stringify(plan))
    const there = snapshotTree(outside)
    await expect(runLaunch({course: dir, cwd: dir, run, agent: 'builtin'} as Parameters<typeof runLaunch>[0])).rejects.toMatchObject({code: 'E_RUN_PLAN', exitCode: 2, message: expect.stringContaining('packets[0].id')})
    expect(snapshotTree(outside)).toEqual(there)
    expect(readdirSync(join(dir, '.wicker', 'runs', run))).not.toContain('work')
  })

  it('is refused when a packet file is not the packet the plan names', async () => {
    const {dir, run, runDir} = await prepared()
    const name = readdirSync(join(runDir, 'packets'))[0]!
    const packet = JSON.parse(readFileSync(join(runDir, 'packets', name), 'utf8'))
    packet.id = 'p000000000000000'
    writeFileSync(join(runDir, 'packets', name), JSON.stringify(packet))
    await expect(runLaunch({course: dir, cwd: dir, run, agent: 'builtin'} as Parameters<typeof runLaunch>[0])).rejects.toMatchObject({code: 'E_RUN_PLAN'})
  })

  it('refuses a --run that is a path, in prepare-segments and launch alike (exit 2)', async () => {
    const {dir} = await prepared()
    for (const run of ['../outside', 'a/b', '..', '.hidden', '']) {
      if (run !== '') await expect(runPrepare({course: dir, cwd: dir, run}), run).rejects.toMatchObject({code: 'E_RUN_NAME', exitCode: 2})
      await expect(runLaunch({course: dir, cwd: dir, run: run || '..', agent: 'builtin'} as Parameters<typeof runLaunch>[0]), run).rejects.toMatchObject({code: 'E_RUN_NAME', exitCode: 2})
    }
  })
})
