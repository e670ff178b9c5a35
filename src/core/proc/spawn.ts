import {execa} from 'execa'

import {bootId, hasProc, isAlive, processStartTime, processStat} from './identity.js'
import {carriesMarker, MARKER, stopTree, treePids, type TreeKey} from './tree.js'
import {watchdog} from './watchdog.js'

/**
 * The only code that starts agent processes, through execa. Each agent runs detached (its own process
 * group) with no shell: arguments are an array, the prompt goes in by stdin, which is then closed (an
 * open stdin makes claude, codex and gemini wait forever). Its environment carries WICKER_ATTEMPT_ID, so
 * its whole tree is found again even where it left the group (tree.ts). A wall-clock timeout, a
 * no-output timeout, too much output, or an abort stop the whole tree: TERM, then KILL after the grace.
 * spawnAgent resolves only once no process of the tree is left, whatever the agent does.
 */
export interface ProcIdentity {
  pid: number
  startTime: string | null
  bootId: string | null
  attemptId: string
}

export interface SpawnRequest {
  command: string
  args: string[]
  env: NodeJS.ProcessEnv
  cwd: string
  stdin: string | null
  timeoutMs: number
  idleTimeoutMs: number
  graceMs: number
  /** unique per attempt; spawn puts it into the agent's environment as WICKER_ATTEMPT_ID, and finds the
   *  attempt's processes again by it through /proc/<pid>/environ, even after setsid / double fork */
  attemptId: string
  /** aborted: stop the attempt's whole tree now (TERM, KILL after graceMs) and resolve */
  signal?: AbortSignal
  /** aborted: KILL the whole tree at once (a second Ctrl-C) */
  killSignal?: AbortSignal
  /** per stream; more than this is an overflow: the tree is stopped. Default 16 MiB */
  maxOutputBytes?: number
  /** called once the agent runs; its promise is awaited before spawnAgent resolves */
  onStart?: (id: ProcIdentity) => void | Promise<void>
}

export interface SpawnResult {
  pid: number | null
  exitCode: number | null
  signal: NodeJS.Signals | null
  /** decoded as UTF-8 streams (a character split across chunks stays whole) */
  stdout: string
  stderr: string
  timedOut: 'wall' | 'idle' | null
  /** ended because signal / killSignal was aborted */
  stopped: boolean
  /** printed more than maxOutputBytes */
  overflow: 'stdout' | 'stderr' | null
  /** spawn itself failed (command not found…) */
  error: string | null
  durationMs: number
  /** processes of its tree still alive after the agent exited, stopped by spawn */
  leftovers: number
}

const OUTPUT_CAP = 16 * 1024 * 1024
/** After the agent exits, how long its pipes may stay open (a daemon child holding them) before the rest of the tree is stopped. */
const LINGER_MS = 200
/** Node's timers hold 32 bits: a longer delay fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

const timer = (ms: number, run: () => void) => setTimeout(run, Math.min(Math.max(0, ms), MAX_TIMER_MS))

const stoppedBefore = (started: number): SpawnResult => ({
  pid: null, exitCode: null, signal: null, stdout: '', stderr: '', timedOut: null, stopped: true, overflow: null, error: null, durationMs: Date.now() - started, leftovers: 0,
})

/** At most `cap` bytes of a stream's text, cut at a character boundary (execa's maxBuffer counts characters). */
function capped(text: unknown, cap: number): string {
  if (typeof text !== 'string') return ''
  if (text.length * 3 <= cap || Buffer.byteLength(text) <= cap) return text
  let end = cap
  const bytes = Buffer.from(text)
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end-- // back to the first byte of a character
  return bytes.subarray(0, end).toString('utf8')
}

export async function spawnAgent(request: SpawnRequest): Promise<SpawnResult> {
  const started = Date.now()
  if (request.signal?.aborted || request.killSignal?.aborted) return stoppedBefore(started)
  const cap = request.maxOutputBytes ?? OUTPUT_CAP
  const subprocess = execa(request.command, request.args, {
    cwd: request.cwd,
    env: {...request.env, [MARKER]: request.attemptId},
    extendEnv: false,
    detached: true,
    // detached subprocesses are not killed by execa on exit anyway; the watchdog does that job
    cleanup: false,
    shell: false,
    ...(request.stdin === null ? {stdin: 'ignore' as const} : {input: request.stdin}),
    stdout: 'pipe',
    stderr: 'pipe',
    encoding: 'utf8',
    stripFinalNewline: false,
    // bounds memory: execa keeps at most this many characters; the byte count below stops the tree first
    maxBuffer: cap,
    // execa's own stop of the agent on abort (TERM, KILL after the grace); stop() below does the rest of the tree
    cancelSignal: request.signal,
    forceKillAfterDelay: request.graceMs > 0 ? request.graceMs : false,
    reject: false,
    windowsHide: true,
  })
  const pid = subprocess.pid ?? null
  const key: TreeKey = {pgid: pid, attemptId: request.attemptId, since: pid === null ? null : processStartTime(pid)}

  let timedOut: SpawnResult['timedOut'] = null
  let stopped = false
  let overflow: SpawnResult['overflow'] = null
  let exited = false
  let leftovers = new Set<number>()
  const hurry = new AbortController()
  const stops: Array<Promise<unknown>> = []
  let stopping = false
  /** Stops the whole tree (once; a later reason may only hurry it to KILL). */
  const stop = (graceMs: number) => {
    if (graceMs <= 0) hurry.abort()
    if (stopping) return
    stopping = true
    const afterExit = exited
    // the agent itself through execa (TERM, KILL after the grace): all there is where no process group exists (Windows)
    if (!exited) subprocess.kill(graceMs <= 0 ? 'SIGKILL' : 'SIGTERM')
    stops.push(stopTree(key, graceMs, {hurry: hurry.signal}).then((pids) => {
      if (afterExit) leftovers = new Set([...leftovers, ...pids])
    }))
  }

  const wall = timer(request.timeoutMs, () => {
    timedOut ??= 'wall'
    stop(request.graceMs)
  })
  let idle = timer(request.idleTimeoutMs, onIdle)
  function onIdle() {
    timedOut ??= 'idle'
    stop(request.graceMs)
  }
  const counted = {stdout: 0, stderr: 0}
  for (const name of ['stdout', 'stderr'] as const) {
    subprocess[name].on('data', (chunk: Buffer | string) => {
      clearTimeout(idle)
      if (!stopping) idle = timer(request.idleTimeoutMs, onIdle)
      counted[name] += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length
      if (counted[name] > cap && overflow === null) {
        overflow = name
        stop(request.graceMs)
      }
    })
  }
  const onAbort = () => {
    stopped = true
    stop(request.graceMs)
  }
  const onKill = () => {
    stopped = true
    stop(0)
  }
  request.signal?.addEventListener('abort', onAbort, {once: true})
  request.killSignal?.addEventListener('abort', onKill, {once: true})

  // A daemon child may hold the pipes open after the agent exited: give them a moment, then stop the rest.
  let linger: NodeJS.Timeout | undefined
  subprocess.once('exit', () => {
    exited = true
    linger = setTimeout(() => {
      stop(request.graceMs)
      // A helper no tracking finds (an emptied environment in a new session) may still hold the pipes:
      // once the tree is stopped, let them go, or the attempt, and every later stop, would wait for ever.
      void Promise.all(stops).then(() => {
        subprocess.stdout.destroy()
        subprocess.stderr.destroy()
      })
    }, LINGER_MS)
  })

  let startError: unknown = null
  let onStart: Promise<void> = Promise.resolve()
  if (pid !== null) {
    watchdog().register(key, request.graceMs)
    const identity: ProcIdentity = {pid, startTime: key.since === null ? null : String(key.since), bootId: bootId(), attemptId: request.attemptId}
    // a failed onStart (the ledger not written) must not leave the agent running untracked: stop it, then fail
    onStart = Promise.resolve()
      .then(() => request.onStart?.(identity))
      .catch((error: unknown) => {
        startError = error
        stop(0)
      })
  }

  const result = await subprocess
  clearTimeout(wall)
  clearTimeout(idle)
  clearTimeout(linger)
  await onStart
  await Promise.all(stops)
  // Whatever of the tree is still there after the agent and its pipes are gone: stop it too.
  if (pid !== null && treePids(key).length > 0) {
    const pids = await stopTree(key, request.graceMs, {hurry: hurry.signal})
    leftovers = new Set([...leftovers, ...pids])
  }
  request.signal?.removeEventListener('abort', onAbort)
  request.killSignal?.removeEventListener('abort', onKill)
  if (pid !== null) watchdog().unregister(request.attemptId)
  if (startError !== null) throw startError

  const spawnFailed = pid === null || (result.exitCode === undefined && result.signal === undefined && !stopping && result.failed)
  return {
    pid,
    exitCode: result.exitCode ?? null,
    signal: (result.signal as NodeJS.Signals | undefined) ?? null,
    stdout: capped(result.stdout, cap),
    stderr: capped(result.stderr, cap),
    timedOut,
    stopped,
    overflow,
    error: spawnFailed ? (result.originalMessage || result.shortMessage || 'the agent could not be started') : null,
    durationMs: Date.now() - started,
    leftovers: leftovers.size,
  }
}

/**
 * An attempt an earlier (killed) launch left running: stopped with its whole tree only once its identity
 * is proved (same boot, same start time in /proc/<pid>/stat, and WICKER_ATTEMPT_ID=<attemptId> in its
 * environ). Also stops any process still carrying the attemptId marker. Without /proc (macOS, Windows)
 * nothing can be proved, and nothing is signalled: the watchdog is what stops agents there.
 */
export async function stopLeftover(id: ProcIdentity, graceMs: number): Promise<'stopped' | 'gone' | 'not-ours'> {
  const stat = processStat(id.pid)
  const alive = hasProc() ? stat !== null && stat.state !== 'Z' && stat.state !== 'X' : isAlive(id.pid)
  if (!hasProc()) return alive ? 'not-ours' : 'gone'
  const sameBoot = id.bootId === null || id.bootId === bootId()
  // after a reboot nothing of the attempt can run, and its pid and marker mean nothing
  if (!sameBoot) return alive ? 'not-ours' : 'gone'
  const proved = alive && id.startTime !== null && String(stat!.startTime) === id.startTime && carriesMarker(id.pid, id.attemptId)
  const since = id.startTime !== null && /^\d+$/.test(id.startTime) ? Number(id.startTime) : null
  // Unproved, the pid is someone else's: look for the attempt's processes by marker alone, never by group.
  const key: TreeKey = {pgid: proved ? id.pid : null, attemptId: id.attemptId, since}
  const pids = await stopTree(key, graceMs)
  if (pids.length > 0) return 'stopped'
  return alive ? 'not-ours' : 'gone'
}
