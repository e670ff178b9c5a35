import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadConfig} from '../../../src/core/config.js'
import {loadCourse} from '../../../src/core/course/load.js'
import {openCourse} from '../../../src/core/open/open-course.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

/** Every file a course folder offers is read by the guarded, strict reader: none can hang or be misread. */
const LEGO_PAIRS = {course: 'qtl_for_qkn', seeds: [{seed_id: 'S0001', seed_pair: {known: 'feteet sto', target: 'veil qoux'}, legos: [{id: 'S0001L01', type: 'A', new: true, lego: {known: 'feteet', target: 'veil'}}]}]}

const courseDir = (files: Record<string, unknown> = {}) => writeTree(join(tempDir(), 'qtl_for_qkn'), {'lego_pairs.json': LEGO_PAIRS, ...files})

describe('course files read safely', () => {
  it('refuses an invalid UTF-8 byte in lego_pairs.json with its place, instead of reading U+FFFD into LEGO text', async () => {
    const dir = courseDir()
    const text = JSON.stringify(LEGO_PAIRS, null, 2).replace('"veil"', '"ve@il"')
    const [before, after] = text.split('@') as [string, string]
    writeFileSync(join(dir, 'lego_pairs.json'), Buffer.concat([Buffer.from(before), Buffer.from([0xe9]), Buffer.from(after)]))
    await expect(loadCourse(dir)).rejects.toMatchObject({code: 'E_INPUT_ENCODING', exitCode: 2, message: expect.stringMatching(/lego_pairs\.json is not valid UTF-8: byte \d+ \(line 17, column \d+\) is 0xe9/)})
  })

  it('refuses a lone surrogate in a LEGO (merge would write it into canon, which would then be refused)', async () => {
    const dir = courseDir()
    writeFileSync(join(dir, 'lego_pairs.json'), JSON.stringify(LEGO_PAIRS).replace('"veil"', '"veil\\ud800"'))
    await expect(loadCourse(dir)).rejects.toMatchObject({code: 'E_INPUT_STRICT', exitCode: 2, message: expect.stringContaining('$.seeds[0].legos[0].lego.target (line 1, column')})
  })

  it('refuses lego_pairs.json nested 20,000 levels deep with a message', async () => {
    const dir = courseDir()
    writeFileSync(join(dir, 'lego_pairs.json'), JSON.stringify(LEGO_PAIRS).replace(/}$/, `,"notes":${'['.repeat(20_000)}${']'.repeat(20_000)}}`))
    await expect(loadCourse(dir)).rejects.toMatchObject({code: 'E_INPUT_STRICT', message: expect.stringContaining('nesting deeper than 64 levels')})
  })

  it('does not wait on a FIFO as seed_pairs.json: it is reported and not used', async () => {
    const dir = courseDir()
    execFileSync('mkfifo', [join(dir, 'seed_pairs.json')])
    const course = await loadCourse(dir)
    expect(course.findings).toContainEqual(expect.objectContaining({kind: 'seed-pairs', message: expect.stringContaining('FIFO')}))
  })

  it('refuses a FIFO as the config file (exit 4), naming it', async () => {
    const dir = tempDir()
    execFileSync('mkfifo', [join(dir, 'wicker.config.json')])
    await expect(loadConfig({cwd: dir})).rejects.toMatchObject({code: 'E_IO_NOT_A_FILE', exitCode: 4, message: expect.stringContaining(join(dir, 'wicker.config.json'))})
  })

  it('opens a course whose canon is a FIFO with a refusal, not a hang', async () => {
    const dir = courseDir()
    execFileSync('mkfifo', [join(dir, 'lego_baskets.json')])
    await expect(openCourse({course: dir, cwd: dir})).rejects.toMatchObject({code: 'E_IO_NOT_A_FILE', exitCode: 4})
  })
})
