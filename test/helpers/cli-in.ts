import {Console} from 'node:console'
import {Readable} from 'node:stream'
import {pathToFileURL} from 'node:url'

import {BIN, cliEnv, cliRun, type CliOptions, type CliRun} from './cli.js'

/**
 * wicker's commands run in the test's own process: the built CLI's main() (dist/cli/main.js, what
 * bin/run.js hands argv to) with stdout and stderr captured, process.exit and process.exitCode
 * caught, and the cwd, env, argv and stdin a spawned `wicker` would have, put back afterwards.
 * What a user sees is the same (test/e2e/cli-in.test.ts compares a sample both ways); a run costs
 * milliseconds instead of a Node start and oclif load. Not for what needs a process of its own:
 * signals, kills, two wickers at once, a terminal, the bin's own shortcuts (--version, --help).
 */
export interface InProcessOptions extends CliOptions {
  // timeout: not enforced in process (the test's own timeout is)
  /** what the command reads on stdin; default: an empty stdin that is not a terminal, as /dev/null */
  stdin?: string
}

const ROOT = pathToFileURL(BIN).href
let queue: Promise<unknown> = Promise.resolve()

/** Runs `wicker ...args` in this process. Runs are one at a time (they share the process's globals). */
export function wickerIn(args: string[], options: InProcessOptions = {}): Promise<CliRun> {
  const result = queue.then(() => runInProcess(args, options))
  queue = result.catch(() => undefined)
  return result
}

type Write = typeof process.stdout.write

async function runInProcess(args: string[], options: InProcessOptions): Promise<CliRun> {
  const {settings} = await import('@oclif/core')
  // as bin/run.js: the built CLI runs dist/ as it is
  settings.enableAutoTranspile = false
  const {main} = (await import(pathToFileURL(BIN.replace(/bin\/run\.js$/, 'dist/cli/main.js')).href)) as {main: (argv: string[], root: string) => Promise<void>}

  let stdout = ''
  let stderr = ''
  const saved = {
    env: {...process.env},
    cwd: process.cwd(),
    argv: process.argv,
    exitCode: process.exitCode,
    exit: process.exit,
    outWrite: process.stdout.write,
    errWrite: process.stderr.write,
    console: globalThis.console,
    stdin: Object.getOwnPropertyDescriptor(process, 'stdin'),
    outTTY: Object.getOwnPropertyDescriptor(process.stdout, 'isTTY'),
    errTTY: Object.getOwnPropertyDescriptor(process.stderr, 'isTTY'),
    drain: new Set(process.stdout.listeners('drain')),
  }
  const capture = (append: (s: string) => void): Write =>
    function (this: unknown, chunk: unknown, encoding?: unknown, callback?: unknown) {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'))
      const done = typeof encoding === 'function' ? encoding : callback
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)())
      return true
    } as Write
  let exited: number | undefined
  const env = cliEnv(options.env)
  try {
    for (const key of Object.keys(process.env)) delete process.env[key]
    Object.assign(process.env, env)
    process.chdir(options.cwd ?? saved.cwd)
    process.argv = [process.execPath, BIN, ...args]
    process.exitCode = undefined
    // oclif's handle() ends with process.exit(code): the code is the run's, the test process lives on
    process.exit = ((code?: number | string | null) => {
      exited ??= Number(code ?? process.exitCode ?? 0)
    }) as typeof process.exit
    process.stdout.write = capture((s) => (stdout += s))
    process.stderr.write = capture((s) => (stderr += s))
    // vitest's console goes to the runner; oclif prints its errors with console.error
    globalThis.console = new Console({stdout: process.stdout, stderr: process.stderr, colorMode: false})
    // pipes, as for a spawned wicker: not terminals
    Object.defineProperty(process.stdout, 'isTTY', {value: false, configurable: true, writable: true})
    Object.defineProperty(process.stderr, 'isTTY', {value: false, configurable: true, writable: true})
    const stdin = Readable.from(options.stdin === undefined ? [] : [options.stdin]) as Readable & {isTTY?: boolean}
    stdin.isTTY = false
    Object.defineProperty(process, 'stdin', {value: stdin, configurable: true, writable: true})

    await main(args, ROOT)
  } finally {
    const code = exited ?? Number(process.exitCode ?? 0)
    process.exitCode = saved.exitCode
    process.exit = saved.exit
    process.stdout.write = saved.outWrite
    process.stderr.write = saved.errWrite
    globalThis.console = saved.console
    restore(process.stdout, 'isTTY', saved.outTTY)
    restore(process.stderr, 'isTTY', saved.errTTY)
    restore(process, 'stdin', saved.stdin)
    process.argv = saved.argv
    // oclif's flush() waits for a 'drain' the captured stdout never needs to emit
    for (const listener of process.stdout.listeners('drain')) if (!saved.drain.has(listener)) process.stdout.removeListener('drain', listener as () => void)
    process.chdir(saved.cwd)
    for (const key of Object.keys(process.env)) delete process.env[key]
    Object.assign(process.env, saved.env)
    exited = code
  }
  return cliRun(exited, stdout, stderr, null)
}

function restore(target: object, key: string, descriptor: PropertyDescriptor | undefined): void {
  if (descriptor) Object.defineProperty(target, key, descriptor)
  else delete (target as Record<string, unknown>)[key]
}
