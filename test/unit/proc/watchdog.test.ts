import {spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {afterEach, describe, expect, it} from 'vitest'

import {tempDir} from '../../helpers/fs.js'
import {alive, pidsIn, until, withMarker} from '../../helpers/procs.js'

/**
 * The watchdog, with real launchers: a node process (fixtures/launcher.ts) starts an agent through
 * spawnAgent and is then SIGKILLed, which runs none of its code; the agent's whole tree must be gone
 * within about a second anyway.
 */
const dir = tempDir('wicker-watchdog-')
const here = dirname(fileURLToPath(import.meta.url))
const loader = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs')).href
const ids: string[] = []

afterEach(() => {
  for (const id of ids.splice(0)) for (const pid of withMarker(id)) process.kill(pid, 'SIGKILL')
})

function caught(pid: number): bigint {
  try {
    const line = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return line ? BigInt(`0x${line[1]}`) : 0n
  } catch {
    return 0n
  }
}

function launcher(script: string) {
  const id = `test-${randomUUID()}`
  ids.push(id)
  const pids = join(dir, `${id}.pids`)
  const child = spawn(process.execPath, ['--import', loader, join(here, 'fixtures', 'launcher.ts'), script, id], {cwd: dir, env: {...process.env, PIDS: pids}, stdio: ['ignore', 'pipe', 'inherit']})
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
  const exit = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => child.on('exit', (code, signal) => resolve({code, signal})))
  const lines = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as {started?: {pid: number}; watchdog?: number; done?: {exitCode: number}})
  return {child, id, pids, exit, lines}
}

describe('an agent never outlives its launcher', () => {
  it('SIGKILL to the launcher: the agent tree, escaped daemon and TERM-ignorer included, is gone within ~1 s', async () => {
    const l = launcher(`echo $$ >> "$PIDS"
      setsid sh -c 'echo $$ >> "$PIDS"; exec sleep 300' </dev/null >/dev/null 2>&1 &
      (trap '' TERM; sleep 300) & echo $! >> "$PIDS"
      sleep 300`)
    await until(() => pidsIn(l.pids).length === 3 && l.lines().some((x) => x.started), 10_000)
    const watchdogPid = l.lines().find((x) => x.started)!.watchdog!
    expect(withMarker(l.id).length).toBeGreaterThanOrEqual(3)
    l.child.kill('SIGKILL')
    // proof the kill landed: the launcher died of it, no code of its own ran
    expect(await l.exit).toEqual({code: null, signal: 'SIGKILL'})
    const at = Date.now()
    await until(() => withMarker(l.id).length === 0 && pidsIn(l.pids).every((p) => !alive(p)), 3000)
    expect(Date.now() - at).toBeLessThan(2000)
    // and the watchdog, its job done, is gone too
    await until(() => !alive(watchdogPid), 2000)
  }, 20_000)

  it('a launcher that ends normally exits at once, and so does its watchdog', async () => {
    const l = launcher('sleep 0.3; echo ok')
    const exit = await l.exit
    expect(exit).toEqual({code: 0, signal: null})
    const watchdogPid = l.lines().find((x) => x.started)!.watchdog!
    expect(l.lines().find((x) => x.done)!.done!.exitCode).toBe(0)
    await until(() => !alive(watchdogPid), 2000)
  }, 20_000)

  it('the watchdog ignores the Ctrl-C, TERM and hangup meant for its launcher', async () => {
    const l = launcher('echo $$ >> "$PIDS"; sleep 300')
    await until(() => l.lines().some((x) => x.started), 10_000)
    const watchdogPid = l.lines().find((x) => x.started)!.watchdog!
    // once it is up: its handlers are in place (SigCgt in /proc/<pid>/status has HUP 1, INT 2, TERM 15)
    await until(() => (caught(watchdogPid) & 0x4003n) === 0x4003n, 5000)
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.kill(watchdogPid, signal)
    await new Promise((r) => setTimeout(r, 200))
    expect(alive(watchdogPid)).toBe(true)
    l.child.kill('SIGKILL')
    await l.exit
    await until(() => withMarker(l.id).length === 0 && !alive(watchdogPid), 3000)
  }, 20_000)
})
