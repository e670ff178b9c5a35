import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {runNotify} from '../../../src/core/proc/notify.js'
import {tempDir} from '../../helpers/fs.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Running or stopped, not dead: a killed process whose parent (init here) has not reaped it yet is a zombie, state Z. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

describe('--notify commands (real processes)', () => {
  it('gets the summary as JSON on stdin, no shell involved', async () => {
    const dir = tempDir()
    const out = join(dir, 'got.json')
    const warning = await runNotify([process.execPath, '-e', `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>require('fs').writeFileSync(${JSON.stringify(out)}, s))`], {status: 'finished', run: 'run-tobrel'}, {cwd: dir, timeoutMs: 10_000})
    expect(warning).toBeNull()
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({status: 'finished', run: 'run-tobrel'})
  })

  it('does not wait for a helper it leaves behind holding its output open', async () => {
    const dir = tempDir()
    const t0 = Date.now()
    const warning = await runNotify(['sh', '-c', `sleep 5 & echo $! > ${join(dir, 'helper.pid')}; cat > /dev/null`], {}, {cwd: dir, timeoutMs: 10_000})
    expect(warning).toBeNull()
    expect(Date.now() - t0).toBeLessThan(3000)
    process.kill(Number(readFileSync(join(dir, 'helper.pid'), 'utf8')), 'SIGKILL')
  })

  it('a hung command is stopped at its timeout with its whole group, and that is a warning', async () => {
    const dir = tempDir()
    const t0 = Date.now()
    const warning = await runNotify(['sh', '-c', `sleep 30 & echo $! > ${join(dir, 'helper.pid')}; sleep 30`], {}, {cwd: dir, timeoutMs: 300})
    expect(warning).toMatch(/--notify sh did not finish within 300 ms/)
    expect(Date.now() - t0).toBeLessThan(4000)
    const helper = Number(readFileSync(join(dir, 'helper.pid'), 'utf8'))
    await sleep(100)
    expect(running(helper)).toBe(false)
  })

  it('a failing or missing command is a warning naming it', async () => {
    expect(await runNotify(['sh', '-c', 'exit 7'], {}, {cwd: tempDir(), timeoutMs: 5000})).toBe('--notify sh exited with 7')
    expect(await runNotify(['wicker-no-such-notifier'], {}, {cwd: tempDir(), timeoutMs: 5000})).toMatch(/^--notify wicker-no-such-notifier could not run: .*ENOENT/)
  })
})
