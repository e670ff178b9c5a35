import {readFileSync} from 'node:fs'

import {defineConfig} from 'vitest/config'

/** the packages vite transforms for the tests instead of Node loading them (see below) */
const INLINE = ['@actions/workflow-parser', '@actions/expressions']

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
    include: ['test/**/*.test.ts'],
    // the default output, then the ten slowest test files (test/reporters/slowest.ts)
    reporters: ['default', './test/reporters/slowest.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests spawn the built CLI; two workers match the 2-core machines CI runs on. Processes,
    // not threads: the in-process runner (test/helpers/cli-in.ts) changes the cwd, which a worker
    // thread cannot, and a file's commands then run in a process of their own, as a user's do.
    pool: 'forks',
    maxWorkers: 2,
    // GitHub's workflow parser imports its schema JSON without an import attribute, which Node 20
    // refuses: vite transforms it instead (the offline validator of `wicker ci github`'s workflow)
    server: {deps: {inline: INLINE}},
  },
})
