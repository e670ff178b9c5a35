import {readdirSync, readFileSync} from 'node:fs'

/**
 * Looks at processes the way a user would (ps, /proc), independently of src/core/proc, so a test of
 * tree tracking does not check the code with itself. A process is alive while /proc/<pid>/stat
 * exists and it is not a zombie: a killed child nobody reaped yet is dead for every purpose, though
 * kill(pid, 0) still finds it.
 */
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

/** Every live process whose environment holds NAME=value (children inherit it, whatever they do). */
export function tagged(name: string, value: string): number[] {
  const entry = `${name}=${value}`
  const out: number[] = []
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry) && alive(Number(pid))) out.push(Number(pid))
    } catch {
      // gone, or not ours to read
    }
  }
  return out
}

/** Live processes carrying wicker's marker of one attempt. */
export const withMarker = (attemptId: string): number[] => tagged('WICKER_ATTEMPT_ID', attemptId)

/** Pids an agent script wrote, one a line (maybe followed by words), into a file. */
export function pidsIn(file: string): number[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => Number(l.split(' ')[0]))
  } catch {
    return []
  }
}

/** Whether `check` came true within `ms`. */
export async function waitFor(check: () => boolean, ms: number, step = 20): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, step))
  }
  return check()
}

/** Waits for `check`, or throws. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  if (!(await waitFor(check, timeoutMs))) throw new Error('timed out waiting')
}
