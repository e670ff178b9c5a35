import {spawn} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import {StringDecoder} from 'node:string_decoder'

import {bootId, processStartTime} from './identity.js'

/**
 * TEMPORARY SHIM (engineer B, issue 9): the contract's signatures over the old child_process code,
 * so launch core compiles and runs before engineer A's execa-based spawn.ts lands. The integrator
 * takes A's file instead of this one. No tree tracking by marker beyond a /proc scan at the end.
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
  attemptId: string
  signal?: AbortSignal
  killSignal?: AbortSignal
  maxOutputBytes?: number
  onStart?: (id: ProcIdentity) => void | Promise<void>
}

export interface SpawnResult {
  pid: number | null
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut: 'wall' | 'idle' | null
  stopped: boolean
  overflow: 'stdout' | 'stderr' | null
  error: string | null
  durationMs: number
  leftovers: number
}

const MARKER = 'WICKER_ATTEMPT_ID'

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

function marked(attemptId: string): number[] {
  const out: number[] = []
  let names: string[] = []
  try {
    names = readdirSync('/proc')
  } catch {
    return out
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(`${MARKER}=${attemptId}`)) out.push(Number(name))
    } catch {
      // gone, or not ours to read
    }
  }
  return out
}

export function spawnAgent(request: SpawnRequest): Promise<SpawnResult> {
  const started = Date.now()
  const cap = request.maxOutputBytes ?? 16 * 1024 * 1024
  return new Promise((resolve) => {
    const out = {stdout: '', stderr: ''}
    const bytes = {stdout: 0, stderr: 0}
    let timedOut: SpawnResult['timedOut'] = null
    let stopped = false
    let overflow: SpawnResult['overflow'] = null
    let killTimer: NodeJS.Timeout | undefined
    const child = spawn(request.command, request.args, {cwd: request.cwd, env: {...request.env, [MARKER]: request.attemptId}, detached: true, stdio: [request.stdin === null ? 'ignore' : 'pipe', 'pipe', 'pipe']})
    const pid = child.pid ?? null
    const stop = () => {
      if (pid === null) return
      killGroup(pid, 'SIGTERM')
      killTimer ??= setTimeout(() => killGroup(pid, 'SIGKILL'), request.graceMs)
    }
    const wall = setTimeout(() => ((timedOut ??= 'wall'), stop()), request.timeoutMs)
    let idle = setTimeout(() => ((timedOut ??= 'idle'), stop()), request.idleTimeoutMs)
    const onAbort = () => ((stopped = true), stop())
    const onKill = () => ((stopped = true), pid !== null && killGroup(pid, 'SIGKILL'))
    if (request.signal?.aborted) onAbort()
    request.signal?.addEventListener('abort', onAbort, {once: true})
    request.killSignal?.addEventListener('abort', onKill, {once: true})
    let startedHook: Promise<void> = Promise.resolve()
    if (pid !== null) {
      const st = processStartTime(pid)
      startedHook = Promise.resolve(request.onStart?.({pid, startTime: st === null ? null : String(st), bootId: bootId(), attemptId: request.attemptId}))
    }
    for (const name of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8')
      child[name]?.on('data', (d: Buffer) => {
        bytes[name] += d.length
        if (bytes[name] > cap) {
          overflow ??= name
          stop()
        } else out[name] += decoder.write(d)
        clearTimeout(idle)
        idle = setTimeout(() => ((timedOut ??= 'idle'), stop()), request.idleTimeoutMs)
      })
      child[name]?.on('end', () => (out[name] += decoder.end()))
    }
    if (child.stdin) {
      child.stdin.on('error', () => undefined)
      child.stdin.end(request.stdin ?? '')
    }
    let error: string | null = null
    child.on('error', (e) => (error = e.message))
    child.on('close', (exitCode, signal) => {
      clearTimeout(wall)
      clearTimeout(idle)
      if (killTimer) clearTimeout(killTimer)
      request.signal?.removeEventListener('abort', onAbort)
      request.killSignal?.removeEventListener('abort', onKill)
      if (pid !== null) killGroup(pid, 'SIGKILL')
      const left = marked(request.attemptId)
      for (const p of left) killGroup(p, 'SIGKILL')
      for (const p of left) {
        try {
          process.kill(p, 'SIGKILL')
        } catch {
          // gone
        }
      }
      void startedHook.then(
        () => resolve({pid, exitCode, signal, stdout: out.stdout, stderr: out.stderr, timedOut, stopped, overflow, error, durationMs: Date.now() - started, leftovers: left.length}),
        () => resolve({pid, exitCode, signal, stdout: out.stdout, stderr: out.stderr, timedOut, stopped, overflow, error, durationMs: Date.now() - started, leftovers: left.length}),
      )
    })
  })
}

export async function stopLeftover(id: ProcIdentity, graceMs: number): Promise<'stopped' | 'gone' | 'not-ours'> {
  const st = processStartTime(id.pid)
  if (st === null) return marked(id.attemptId).length > 0 ? (marked(id.attemptId).forEach((p) => killGroup(p, 'SIGKILL')), 'stopped') : 'gone'
  if (id.bootId !== bootId() || id.startTime !== String(st) || !marked(id.attemptId).includes(id.pid)) return 'not-ours'
  killGroup(id.pid, 'SIGTERM')
  await new Promise((r) => setTimeout(r, Math.min(graceMs, 200)))
  killGroup(id.pid, 'SIGKILL')
  for (const p of marked(id.attemptId)) killGroup(p, 'SIGKILL')
  return 'stopped'
}
