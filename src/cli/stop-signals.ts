import {EXIT} from '../core/errors.js'

/**
 * Ctrl-C, SIGTERM and a hangup (the terminal closed) for a command that runs agents: the first
 * signal asks for an orderly stop (every agent's tree gets TERM, then KILL after --grace), a second
 * one asks for KILL at once. The command exits 128 + the first signal's number (130 SIGINT, 143
 * SIGTERM, 129 SIGHUP), whatever came next. Left to Node, a hangup would end the process with no
 * cleanup: the lock left behind and the agents to the watchdog.
 */
const SIGNALS = {SIGHUP: EXIT.sighup, SIGINT: EXIT.sigint, SIGTERM: EXIT.sigterm} as const
export interface StopSignals {
  /** aborted on the first SIGINT/SIGTERM/SIGHUP */
  signal: AbortSignal
  /** aborted on the second */
  killSignal: AbortSignal
  /** the first signal received, or null */
  first(): NodeJS.Signals | null
  /** 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP, null when no signal came */
  exitCode(): number | null
  dispose(): void
}

export function stopOnSignals(say: (line: string) => void, target: NodeJS.Process = process): StopSignals {
  const stop = new AbortController()
  const kill = new AbortController()
  let first: NodeJS.Signals | null = null
  const onSignal = (name: NodeJS.Signals) => {
    if (first === null) {
      first = name
      say(`${name}: stopping every agent (again to kill now)…`)
      stop.abort(new Error(name))
    } else if (!kill.signal.aborted) {
      say(`${name}: killing every agent now…`)
      kill.abort(new Error(name))
    }
  }
  for (const name of Object.keys(SIGNALS) as NodeJS.Signals[]) target.on(name, onSignal)
  return {
    signal: stop.signal,
    killSignal: kill.signal,
    first: () => first,
    exitCode: () => (first === null ? null : SIGNALS[first as keyof typeof SIGNALS]),
    dispose() {
      for (const name of Object.keys(SIGNALS) as NodeJS.Signals[]) target.off(name, onSignal)
    },
  }
}
