import {pathToFileURL} from 'node:url'

import {execa} from 'execa'

import {compiledScript, sourceScript} from '../package-root.js'
import {MARKER, type TreeKey} from './tree.js'

/**
 * Agents must not outlive a launcher, even one killed by SIGKILL, which runs no cleanup code. So each
 * launcher has ONE small watchdog process (not one per attempt: a thousand packets must not pay a
 * thousand node starts), started with the first attempt. It is detached (own session: the terminal's
 * Ctrl-C and hangup do not reach it) and holds a pipe from the launcher; the launcher tells it each
 * attempt's group and marker as it starts and ends. When the pipe closes, because the launcher exited
 * or was killed, the watchdog stops every attempt still registered (watchdog-main.ts) and exits. It
 * is unref'd, so it never keeps a launcher's event loop alive.
 */
export interface Watchdog {
  register(key: TreeKey, graceMs: number): void
  unregister(attemptId: string): void
  /** the watchdog's pid, for tests */
  readonly pid: number | undefined
}

/** The compiled script; from the TypeScript sources (tests) the .ts through tsx. */
function script(): {args: string[]; cwd: string} {
  const compiled = compiledScript('core/proc/watchdog-main')
  if (compiled) return {args: [compiled], cwd: '/'}
  const {source, tsx} = sourceScript('core/proc/watchdog-main', 'dist/loader.mjs')
  return {args: ['--import', pathToFileURL(tsx).href, source], cwd: '/'}
}

function startProcess() {
  const {args, cwd} = script()
  const env = {...process.env}
  delete env[MARKER] // the watchdog is no attempt's process: a scan for the launcher's own marker must not find it
  return execa(process.execPath, args, {
    cwd,
    env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    stdin: 'pipe',
    stdout: 'ignore',
    stderr: 'ignore',
    buffer: false,
    reject: false,
  })
}

/** How long an attempt's end may wait to be told to the watchdog with the next start. */
const UNREGISTER_MS = 100

class PipeWatchdog implements Watchdog {
  private readonly process = startProcess()
  private alive = true

  constructor(onGone: () => void) {
    const gone = () => {
      this.alive = false
      onGone()
    }
    void this.process.then(gone, gone)
    this.process.stdin.on('error', gone) // it died: writes fail with EPIPE
    this.process.unref()
    // the pipe is a socket handle of its own: unref'd too, or it would keep the launcher running
    ;(this.process.stdin as unknown as {unref?: () => void}).unref?.()
  }

  get pid(): number | undefined {
    return this.process.pid
  }

  /** ends of attempts not told yet: they go with the next start, or UNREGISTER_MS later (one write, not two, per packet) */
  private ended = ''
  private flushing: NodeJS.Timeout | null = null

  private send(lines: string): void {
    if (this.flushing) clearTimeout(this.flushing)
    this.flushing = null
    const text = `${this.ended}${lines}`
    this.ended = ''
    if (this.alive && text) this.process.stdin.write(text)
  }

  register(key: TreeKey, graceMs: number): void {
    this.send(`${JSON.stringify({op: '+', pgid: key.pgid, attemptId: key.attemptId, since: key.since, graceMs})}\n`)
  }

  unregister(attemptId: string): void {
    // an attempt the watchdog still holds a moment after it ended is harmless: its tree is gone, and a
    // stop finds nothing (a group id is not reused while the group has a member; the start time guards the leader)
    this.ended += `${JSON.stringify({op: '-', attemptId})}\n`
    this.flushing ??= setTimeout(() => this.send(''), UNREGISTER_MS).unref()
  }
}

let current: PipeWatchdog | null = null
/** Attempts registered now, told to a new watchdog should the first one die. */
const registered = new Map<string, {key: TreeKey; graceMs: number}>()

/** This launcher's watchdog, started on first use (and again if it died). */
export function watchdog(): Watchdog {
  if (current === null) {
    const started: PipeWatchdog = new PipeWatchdog(() => {
      if (current === started) current = null
    })
    current = started
    for (const {key, graceMs} of registered.values()) started.register(key, graceMs)
  }
  const dog = current
  return {
    pid: dog.pid,
    register(key, graceMs) {
      registered.set(key.attemptId, {key, graceMs})
      dog.register(key, graceMs)
    },
    unregister(attemptId) {
      registered.delete(attemptId)
      dog.unregister(attemptId)
    },
  }
}
