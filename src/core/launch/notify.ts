/** What --notify gets on stdin: enough to post "run X: 40 ok, 2 failed, $1.20" without reading files. */
export function launchSummary(
  r: {run: string; agent: string; packets: Record<string, number>; attempts: number; costUsd: number | null; halted: string | null; interrupted: boolean; failures: unknown[]; staged: string[]; ledger: string; estimate: unknown; uploads?: {url: string; sent: number; already: number; failed: number} | null},
  exitCode: number,
  signal: string | null,
) {
  const status = r.interrupted ? 'stopped' : r.halted ? 'halted' : 'finished'
  return {
    kind: 'wicker/launch-summary',
    status,
    exitCode,
    signal,
    run: r.run,
    agent: r.agent,
    packets: r.packets,
    attempts: r.attempts,
    costUsd: r.costUsd,
    estimate: r.estimate,
    halted: r.halted,
    failures: r.failures.slice(0, 20),
    staged: r.staged.length,
    ledger: r.ledger,
    // --upload: the counts (each failure is in the launch's own output)
    uploads: r.uploads ? {url: r.uploads.url, sent: r.uploads.sent, already: r.uploads.already, failed: r.uploads.failed} : null,
  }
}
