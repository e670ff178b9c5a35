import {accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync, statfsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {defineConfig} from 'vitest/config'

/** the packages vite transforms for the tests instead of Node loading them (see below) */
const INLINE = ['@actions/workflow-parser', '@actions/expressions']

/** the built CLI's files (dist/ of this package), which Node loads as they are (see server.deps below) */
const BUILT = new RegExp(`^${join(dirname(fileURLToPath(import.meta.url)), 'dist/').replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')}`)

/**
 * Test files that each get a process and a module graph of their own: those that replace a module
 * with vi.mock (a module an earlier file loaded would ignore it). The launch and agent e2e files share
 * their worker's modules like every other file (their in-process launches then load wicker's code
 * once per worker, not once per file); their real launches, signals and kills are processes anyway.
 */
const OWN_PROCESS = ['test/unit/serve/tokens.test.ts', 'test/unit/merge/reindent-invariant.test.ts']

/**
 * Where the tests' temporary folders go (TMPDIR for every test and every wicker it starts): a folder
 * of this run's own, in memory (/dev/shm) where there is one with 2 GiB free, removed when the run ends.
 * Courses there are the same files; only fsync, which no test can observe (no test pulls the power),
 * costs nothing there, where on a disk it was half of a merge's time. WICKER_TEST_TMPDIR picks
 * another place (e.g. the disk's tmpdir, to run the tests there).
 */
function testTmpdir(): string {
  const usable = (dir: string) => {
    try {
      accessSync(dir, constants.W_OK)
      // a container's /dev/shm is often 64 MB: the tests' courses need more, so take it only with room
      const fs = statfsSync(dir)
      return statSync(dir).isDirectory() && fs.bavail * fs.bsize >= 2 * 2 ** 30
    } catch {
      return false
    }
  }
  const base = process.env.WICKER_TEST_TMPDIR ?? (process.platform === 'linux' && usable('/dev/shm') ? '/dev/shm' : tmpdir())
  const dir = mkdtempSync(join(base, 'wicker-tests-'))
  process.once('exit', () => rmSync(dir, {recursive: true, force: true}))
  return dir
}

/**
 * The run's own switches (WICKER_TEST_CPU_JSON, WICKER_TEST_CACHE, WICKER_TEST_TMPDIR), read here
 * once and then taken out of the environment the test workers inherit: wicker hands WICKER_* variables
 * on to the agents it starts, and the tests compare those environments exactly (e2e/launch-dry-run).
 */
function runSwitches(): {cpuJson?: string; cache: boolean; tmpdir: string} {
  const switches = {cpuJson: process.env.WICKER_TEST_CPU_JSON || undefined, cache: process.env.WICKER_TEST_CACHE !== '0', tmpdir: testTmpdir()}
  for (const name of ['WICKER_TEST_CPU_JSON', 'WICKER_TEST_CACHE', 'WICKER_TEST_TMPDIR']) delete process.env[name]
  return switches
}
const SWITCHES = runSwitches()

export default defineConfig({
  plugins: [
    {
      // their published source maps name sources the package does not ship: vite would warn once per
      // file on every run; the maps are of no use here, so the files are read without them
      name: 'inline-without-source-maps',
      load(id) {
        if (!id.endsWith('.js') || !INLINE.some((p) => id.includes(`/node_modules/${p}/`))) return null
        return readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '')
      },
    },
  ],
  test: {
    // the default output, then the ten slowest test files (test/reporters/slowest.ts)
    // (with WICKER_TEST_CPU_JSON=<file>, every file's time and CPU are written there too)
    reporters: ['default', ['./test/reporters/slowest.ts', {cpuJson: SWITCHES.cpuJson}]],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests spawn the built CLI; two workers match the 2-core machines CI runs on. Processes,
    // not threads: the in-process runner (test/helpers/cli-in.ts) changes the cwd, which a worker
    // thread cannot, and a file's commands then run in a process of their own, as a user's do.
    pool: 'forks',
    maxWorkers: 2,
    // GitHub's workflow parser imports its schema JSON without an import attribute, which Node 20
    // refuses: vite transforms it instead (the offline validator of `wicker ci github`'s workflow)
    // The built CLI (dist/, bundled by esbuild) is loaded by Node itself, not transformed by vite,
    // where a test runs wicker in process (test/helpers/cli-in.ts): it is plain JavaScript already,
    // and vite's transform of its chunks on every run was a good part of the e2e files' overhead
    // (14 e2e files: 38.3 / 36.4 s of CPU transformed, 33.5 / 30.4 s loaded by Node).
    server: {deps: {inline: INLINE, external: [BUILT]}},
    env: {TMPDIR: SWITCHES.tmpdir},
    // removes each test file's temporary folders after it (test/helpers/fs.ts); measures each file's
    // CPU, its child processes' included, for the slowest-files list (test/setup/cpu.ts)
    setupFiles: ['./test/setup/temp-dirs.ts', './test/setup/cpu.ts'],
    // vite's transforms of the TypeScript (src/, test/, bench/) kept between runs, keyed by each file's
    // content and path: a rerun transforms only what changed. In the system's temporary folder, not in
    // node_modules (vitest's default), which may be another checkout's; WICKER_TEST_CACHE=0 turns it off.
    experimental: {fsModuleCache: SWITCHES.cache, fsModuleCachePath: join(tmpdir(), 'wicker-vitest-cache')},
    // the test files (test/**/*.test.ts), in two projects
    projects: [
      {
        // These files share their worker's modules (isolate: false): each file then costs its tests,
        // not a fresh start of vitest's runner, zod, oclif and the code under test (half of a small
        // file's time). They leave nothing behind in the process: env, cwd, argv, stdio and exit
        // code are put back by the test that changes them (the in-process CLI, test/helpers/cli-in.ts,
        // restores them after every run), and temporary folders go after each file.
        extends: true,
        test: {name: 'shared', include: ['test/**/*.test.ts'], exclude: OWN_PROCESS, isolate: false},
      },
      {
        extends: true,
        test: {name: 'isolated', include: OWN_PROCESS},
      },
    ],
  },
})
