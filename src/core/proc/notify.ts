/**
 * `launch --notify CMD`: tells a team's own tooling (chat, mail) that a launch finished, halted or
 * was stopped. The command runs without a shell, with the summary as JSON on stdin and its output
 * discarded; it gets a timeout and its own process group, and whatever it does is at most a
 * warning: the launch's work and exit code are already decided.
 */
export interface NotifyOptions {
  cwd: string
  timeoutMs: number
  /** aborted (a second Ctrl-C): stop the command at once */
  cancelSignal?: AbortSignal
}

/** Runs the command; null when it succeeded, else a warning saying what went wrong. */
export async function runNotify(words: string[], summary: unknown, options: NotifyOptions): Promise<string | null> {
  const {execa} = await import('execa')
  const [file, ...args] = words as [string, ...string[]]
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    input: `${JSON.stringify(summary, null, 2)}\n`,
    // Its output is not wicker's (stdout may carry --json), and a helper it leaves behind holding a
    // pipe (`sh -c 'mail … &'`) would keep wicker waiting for the pipe to close: no pipes out.
    stdout: 'ignore',
    stderr: 'ignore',
    timeout: options.timeoutMs,
    forceKillAfterDelay: 2000,
    cancelSignal: options.cancelSignal,
    // its own process group, so a stopped notify takes its helpers with it
    detached: true,
    cleanup: true,
    reject: false,
  })
  const result = await subprocess
  if ((result.timedOut || result.isCanceled) && subprocess.pid) {
    try {
      process.kill(-subprocess.pid, 'SIGKILL')
    } catch {
      // the group is gone already
    }
  }
  if (!result.failed) return null
  const what = `--notify ${words[0]}`
  if (result.timedOut) return `${what} did not finish within ${options.timeoutMs} ms and was stopped`
  if (result.isCanceled) return `${what} was stopped by a second signal`
  if (result.exitCode !== undefined) return `${what} exited with ${result.exitCode}`
  return `${what} could not run: ${(result.shortMessage ?? String(result.exitCode)).split('\n')[0]}`
}
