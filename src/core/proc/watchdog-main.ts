/**
 * The watchdog's own process (see watchdog.ts): it outlives a launcher that is SIGKILLed, and then
 * stops the agents that launcher left running. Its stdin is a pipe from the launcher, one JSON line per
 * change: {"op":"+", pgid, attemptId, since, graceMs} when an attempt starts, {"op":"-", attemptId} when
 * it ends. EOF means the launcher is gone (its end of the pipe closes however it dies): every attempt
 * still registered is stopped, whole tree, and the watchdog exits. It prints nothing.
 */
import {stopTree, type TreeKey} from './tree.js'

// A Ctrl-C or hangup meant for the launcher's terminal is not for the watchdog: it ends by EOF only.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined)

/** Launch is gone, nobody waits for a graceful end: TERM, and KILL after at most this long. */
const MAX_GRACE_MS = 1000

const attempts = new Map<string, {key: TreeKey; graceMs: number}>()
let pending = ''

function apply(line: string): void {
  let message: {op?: unknown; pgid?: unknown; attemptId?: unknown; since?: unknown; graceMs?: unknown}
  try {
    message = JSON.parse(line) as typeof message
  } catch {
    return // a line cut short by the launcher's death
  }
  if (typeof message.attemptId !== 'string') return
  if (message.op === '-') attempts.delete(message.attemptId)
  else if (message.op === '+' && typeof message.pgid === 'number') {
    const since = typeof message.since === 'number' ? message.since : null
    const graceMs = typeof message.graceMs === 'number' ? message.graceMs : MAX_GRACE_MS
    attempts.set(message.attemptId, {key: {pgid: message.pgid, attemptId: message.attemptId, since}, graceMs})
  }
}

process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk: string) => {
  pending += chunk
  const lines = pending.split('\n')
  pending = lines.pop() ?? ''
  for (const line of lines) apply(line)
})
const end = async () => {
  await Promise.all([...attempts.values()].map(({key, graceMs}) => stopTree(key, Math.min(graceMs, MAX_GRACE_MS))))
  process.exit(0)
}
process.stdin.on('end', () => void end())
process.stdin.on('error', () => void end())
