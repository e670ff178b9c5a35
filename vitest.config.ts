import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests spawn the built CLI; two workers match the 2-core machines CI runs on
    maxWorkers: 2,
    // GitHub's workflow parser imports its schema JSON without an import attribute, which Node 20
    // refuses: vite transforms it instead (the offline validator of `wicker ci github`'s workflow)
    server: {deps: {inline: ['@actions/workflow-parser', '@actions/expressions']}},
  },
})
