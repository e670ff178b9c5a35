import {spawn} from 'node:child_process'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

/** The built program, for racers that import it. */
export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))

/**
 * Racer processes (scripts built on test/helpers/racer.mjs), started once for every trial: the
 * test lays out `<base>/t<n>` folders, then for each trial calls `trial(n)`, which releases the
 * racers together (a byte to each one's stdin) and gives back each one's outcome (a line each one
 * writes to its stdout when its attempt is over).
 */
export function startRacers(script: string, count: number, args: (index: number) => string[]) {
  const racers = Array.from({length: count}, (_, i) => spawn(process.execPath, [script, ...args(i)], {stdio: ['pipe', 'pipe', 'pipe']}))
  let stderr = ''
  for (const r of racers) r.stderr.on('data', (d) => (stderr += d))
  // each racer's outcomes, in trial order, as they come
  const lines = racers.map(() => [] as string[])
  let heard = () => {}
  racers.forEach((r, i) => createInterface({input: r.stdout}).on('line', (line) => (lines[i]!.push(line), heard())))
  const exited = Promise.all(racers.map((r) => new Promise((resolve) => r.on('exit', resolve))))
  let trials = 0
  return {
    async trial<T>(dir: string, timeoutMs = 30_000): Promise<T[]> {
      const n = trials++
      // the go: one byte to each racer, which blocks reading its stdin until then (racer.mjs)
      for (const r of racers) r.stdin.write('g')
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${dir}: the racers did not finish; ${stderr}`)), timeoutMs)
        heard = () => {
          if (lines.every((l) => l.length > n)) clearTimeout(timer), resolve()
        }
        heard()
      })
      return lines.map((l) => JSON.parse(l[n]!) as T)
    },
    async stop(): Promise<void> {
      for (const r of racers) r.stdin.destroy(), r.kill()
      await exited
    },
  }
}
