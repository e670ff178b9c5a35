import {spawnSync} from 'node:child_process'
import {cpSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {BIN} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {canonBytes, flowCourse} from '../helpers/flow.js'

const STAGING = 'phase5_baskets_staging'

/** Runs wicker on a real terminal (util-linux `script` gives it a pty), answering `answer` if asked. */
function onTerminal(args: string[], answer: string) {
  const line = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
  const run = spawnSync('script', ['-qec', line, '/dev/null'], {input: answer, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', env: {...process.env, NO_COLOR: '1'}})
  return {code: run.status, out: run.stdout, signal: run.signal}
}

describe('merge with nothing to merge, on a terminal', () => {
  it('does not ask "Apply 0 change(s)?", writes no backup and no journal transaction, and says nothing to merge (exit 0)', async () => {
    const f = flowCourse({seeds: 6})
    const first = await wickerIn(['merge', f.dir, '--yes', '--json'])
    expect(first.json.result.status).toBe('merged')
    // staging again holds exactly what canon now has: every basket identical, 0 operations
    const tx = first.json.result.tx as string
    cpSync(join(f.dir, STAGING, '.applied', tx), join(f.dir, STAGING), {recursive: true})
    const staged = readdirSync(join(f.dir, STAGING)).sort()
    const journal = readFileSync(join(f.dir, '.wicker', 'journal.ndjson'), 'utf8')
    const backups = readdirSync(join(f.dir, '.wicker', 'backups')).sort()
    const canon = canonBytes(f.dir)

    const run = onTerminal(['merge', f.dir], 'y\n')
    expect(run.signal).toBeNull()
    expect(run.out).not.toMatch(/Apply \d+ change/)
    expect(run.out).toMatch(/Nothing to merge/)
    expect(run.code).toBe(0)
    expect(readFileSync(join(f.dir, '.wicker', 'journal.ndjson'), 'utf8')).toBe(journal)
    expect(readdirSync(join(f.dir, '.wicker', 'backups')).sort()).toEqual(backups)
    expect(canonBytes(f.dir)).toEqual(canon)
    // the identical files stay in staging: nothing moved without a transaction
    expect(readdirSync(join(f.dir, STAGING)).sort()).toEqual(staged)
  })
})
