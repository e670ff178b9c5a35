import {spawn} from 'node:child_process'
import {mkdirSync, readFileSync, renameSync} from 'node:fs'
import {basename, join} from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

import {buildSync} from 'esbuild'

/** The built program, for racers that import it. */
export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))

const bundles = new Map<string, string>()

/**
 * A racer script bundled with the modules of dist/ it imports (and zod, as scripts/bundle.ts does;
 * the other packages stay packages) into one file, dist/.racers/<name>.mjs: the same built code,
 * loaded from one file instead of tsc's tree of a hundred-odd modules, so each of ten or twenty
 * racers starts about 0.1 s of CPU sooner. Under dist/, so that package-root.ts finds the package
 * and the dist tree from it as from any built file. Bundled once per test process (a temporary
 * name, then a rename: two workers may bundle the same racer at once).
 */
export function bundledRacer(script: string): string {
  let out = bundles.get(script)
  if (!out) {
    const pkg = JSON.parse(readFileSync(join(DIST, '..', 'package.json'), 'utf8')) as {dependencies: Record<string, string>}
    const external = Object.keys(pkg.dependencies).filter((name) => name !== 'zod').flatMap((name) => [name, `${name}/*`])
    out = join(DIST, '.racers', `${basename(script, '.mjs')}.mjs`)
    mkdirSync(join(DIST, '.racers'), {recursive: true})
    const temp = `${out}.${process.pid}.tmp`
    buildSync({entryPoints: [script], outfile: temp, bundle: true, format: 'esm', platform: 'node', target: 'node20', external, logLevel: 'warning'})
    renameSync(temp, out)
    bundles.set(script, out)
  }
  return out
}

/**
 * Racer processes (scripts built on test/helpers/racer.mjs, started bundled: bundledRacer), started once for every trial: the
 * test lays out `<base>/t<n>` folders, then for each trial calls `trial(n)`, which releases the
 * racers together (a byte to each one's stdin) and gives back each one's outcome (a line each one
 * writes to its stdout when its attempt is over).
 */
export function startRacers(script: string, count: number, args: (index: number) => string[]) {
  const bundled = bundledRacer(script)
  const racers = Array.from({length: count}, (_, i) => spawn(process.execPath, [bundled, ...args(i)], {stdio: ['pipe', 'pipe', 'pipe']}))
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
