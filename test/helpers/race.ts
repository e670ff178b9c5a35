import {spawn} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** The built program, for racers that import it. */
export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Racer processes (scripts built on test/helpers/racer.mjs), started once for every trial: the
 * test lays out `<base>/t<n>` folders, then for each trial calls `trial(n)`, which releases the
 * racers together and gives back each one's outcome.
 */
export function startRacers(script: string, count: number, args: (index: number) => string[]) {
  const racers = Array.from({length: count}, (_, i) => spawn(process.execPath, [script, ...args(i)], {stdio: ['ignore', 'ignore', 'pipe']}))
  let stderr = ''
  for (const r of racers) r.stderr.on('data', (d) => (stderr += d))
  const exited = Promise.all(racers.map((r) => new Promise((resolve) => r.on('exit', resolve))))
  return {
    async trial<T>(dir: string, timeoutMs = 30_000): Promise<T[]> {
      writeFileSync(join(dir, 'go'), '')
      const done = Array.from({length: count}, (_, i) => join(dir, `done.${i}`))
      const deadline = Date.now() + timeoutMs
      while (!done.every((f) => existsSync(f))) {
        if (Date.now() > deadline) throw new Error(`${dir}: the racers did not finish; ${stderr}`)
        await sleep(1)
      }
      return done.map((f) => JSON.parse(readFileSync(f, 'utf8')) as T)
    },
    async stop(): Promise<void> {
      for (const r of racers) r.kill()
      await exited
    },
  }
}
