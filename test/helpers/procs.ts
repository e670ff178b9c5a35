import {readdirSync, readFileSync} from 'node:fs'

/**
 * What a test sees of processes, from /proc, trusting nothing the code under test says: a process
 * is alive while /proc/<pid>/stat exists and it is not a zombie (a killed child that nobody reaped
 * yet is dead for every purpose, but kill(pid, 0) still says it is there).
 */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** Every live process whose environment holds NAME=value (children inherit it, whatever they do). */
export function tagged(name: string, value: string): number[] {
  const needle = Buffer.from(`\0${name}=${value}\0`)
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const env = Buffer.concat([Buffer.from('\0'), readFileSync(`/proc/${entry}/environ`), Buffer.from('\0')])
      if (env.includes(needle) && alive(Number(entry))) out.push(Number(entry))
    } catch {
      // gone, or not ours to read
    }
  }
  return out
}

export async function waitFor(check: () => boolean, ms: number, step = 25): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, step))
  }
  return check()
}
