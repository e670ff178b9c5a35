import {readFileSync} from 'node:fs'
import {afterAll, beforeAll} from 'vitest'

declare module '@vitest/runner' {
  interface TaskMeta {
    /** CPU seconds a test file used (test/setup/cpu.ts): its own process's, and its child processes' */
    cpu?: {self: number; children: number}
  }
}

/**
 * CPU seconds used so far: this process's (every thread), and its child processes' once they were
 * waited for (/proc/self/stat's cutime + cstime, in clock ticks of 1/100 s); children is null off Linux.
 */
export function cpuSeconds(): {self: number; children: number | null} {
  const {user, system} = process.cpuUsage()
  let children: number | null = null
  try {
    // the fields after the command name, which is in parentheses and may hold spaces
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ')
    children = (Number(fields[13]) + Number(fields[14])) / 100
  } catch {
    // not Linux: own CPU only
  }
  return {self: (user + system) / 1e6, children}
}

// A setup file's hooks wrap every test file, also where files share a worker (isolate: false): the
// difference is the file's own. The slowest-files reporter (test/reporters/slowest.ts) prints it, so
// a file that grows costly shows on a shared machine too, where wall times move with the load.
let start = cpuSeconds()
beforeAll(() => {
  start = cpuSeconds()
})
// (vitest wants the first argument, the context, destructured)
afterAll(({}, file) => {
  const end = cpuSeconds()
  file.meta.cpu = {self: end.self - start.self, children: end.children === null || start.children === null ? 0 : end.children - start.children}
})
