import {spawn} from 'node:child_process'

/**
 * The only code that starts processes. Each agent runs in its own process group with no shell:
 * arguments are an array, the prompt goes in by stdin, which is then closed (an open stdin makes
 * claude, codex and gemini wait forever). A wall-clock timeout and a no-output timeout stop the
 * whole group: TERM, then KILL after a grace period. Every group still running is known, so
 * Ctrl-C can stop them all and nothing outlives the launcher.
 */
export interface SpawnRequest {
  command: string
  args: string[]
  env: NodeJS.ProcessEnv
  cwd: string
  stdin: string | null
  timeoutMs: number
  idleTimeoutMs: number
  graceMs: number
  onStart?: (pid: number) => void
}

export interface SpawnResult {
  pid: number | null
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut: 'wall' | 'idle' | null
  /** spawn itself failed (command not found…) */
  error: string | null
  durationMs: number
}

const running = new Map<number, () => void>()
const OUTPUT_CAP = 16 * 1024 * 1024

export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/** Stops every running agent group: TERM, then KILL after the grace period. */
export async function terminateAll(graceMs: number): Promise<void> {
  const pids = [...running.keys()]
  for (const pid of pids) killGroup(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  for (const pid of running.keys()) killGroup(pid, 'SIGKILL')
  while (running.size > 0) await new Promise((r) => setTimeout(r, 20))
}

export function runningPids(): number[] {
  return [...running.keys()]
}

export function spawnAgent(request: SpawnRequest): Promise<SpawnResult> {
  const started = Date.now()
  return new Promise((resolve) => {
    let stdout = ''
    let stderr = ''
    let timedOut: SpawnResult['timedOut'] = null
    let killTimer: NodeJS.Timeout | undefined
    const child = spawn(request.command, request.args, {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio: [request.stdin === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    const pid = child.pid ?? null
    const stop = (why: 'wall' | 'idle') => {
      if (timedOut || pid === null) return
      timedOut = why
      killGroup(pid, 'SIGTERM')
      killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), request.graceMs)
    }
    const wall = setTimeout(() => stop('wall'), request.timeoutMs)
    let idle = setTimeout(() => stop('idle'), request.idleTimeoutMs)
    const activity = () => {
      clearTimeout(idle)
      idle = setTimeout(() => stop('idle'), request.idleTimeoutMs)
    }
    if (pid !== null) {
      running.set(pid, () => undefined)
      request.onStart?.(pid)
    }
    child.stdout?.on('data', (d: Buffer) => {
      if (stdout.length < OUTPUT_CAP) stdout += d.toString('utf8')
      activity()
    })
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < OUTPUT_CAP) stderr += d.toString('utf8')
      activity()
    })
    if (child.stdin) {
      child.stdin.on('error', () => undefined) // an agent that exits without reading its prompt
      child.stdin.end(request.stdin ?? '')
    }
    let error: string | null = null
    child.on('error', (e) => {
      error = e.message
    })
    child.on('close', (exitCode, signal) => {
      clearTimeout(wall)
      clearTimeout(idle)
      if (killTimer) clearTimeout(killTimer)
      // the group may still hold grandchildren: make sure none survives its agent
      if (pid !== null) {
        killGroup(pid, 'SIGKILL')
        running.delete(pid)
      }
      resolve({pid, exitCode, signal, stdout, stderr, timedOut, error, durationMs: Date.now() - started})
    })
  })
}
