import {readdirSync, readFileSync} from 'node:fs'

/**
 * Looks at processes the way a user would (ps, /proc), independently of src/core/proc, so a test of
 * tree tracking does not check the code with itself.
 */

/** Whether `pid` is a live process (not a zombie waiting to be reaped). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

/** The process group of `pid`, or null. */
export function groupOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
  } catch {
    return null
  }
}

/** Live processes whose environment holds WICKER_ATTEMPT_ID=<id>. */
export function withMarker(attemptId: string): number[] {
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const entries = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0')
      if (entries.includes(`WICKER_ATTEMPT_ID=${attemptId}`) && alive(Number(name))) out.push(Number(name))
    } catch {
      // gone, or not ours
    }
  }
  return out
}

/** Pids an agent script wrote, one a line, into a file. */
export function pidsIn(file: string): number[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number)
  } catch {
    return []
  }
}

export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}
