/**
 * Ctrl-C and SIGTERM for a command that runs agents: the first signal asks for an orderly stop
 * (every agent's tree gets TERM, then KILL after --grace), a second one asks for KILL at once. The
 * command exits 130 (SIGINT) or 143 (SIGTERM) after the first signal, whatever came next.
 */
export interface StopSignals {
  /** aborted on the first SIGINT/SIGTERM */
  signal: AbortSignal
  /** aborted on the second */
  killSignal: AbortSignal
  /** the first signal received, or null */
  first(): NodeJS.Signals | null
  /** 130 for SIGINT, 143 for SIGTERM, null when no signal came */
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
  target.on('SIGINT', onSignal)
  target.on('SIGTERM', onSignal)
  return {
    signal: stop.signal,
    killSignal: kill.signal,
    first: () => first,
    exitCode: () => (first === null ? null : first === 'SIGTERM' ? 143 : 130),
    dispose() {
      target.off('SIGINT', onSignal)
      target.off('SIGTERM', onSignal)
    },
  }
}
