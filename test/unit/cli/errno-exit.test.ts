import {Config} from '@oclif/core'
import {afterEach, describe, expect, it, vi} from 'vitest'

import {BaseCommand} from '../../../src/cli/base-command.js'

/**
 * A plain I/O failure that escapes a command is exit 4 with the path and the operation. Tests run
 * as root here, where chmod cannot make a course folder read-only, so the failure is injected: the
 * errno error Node raises for a write on a read-only file system.
 */
class Writes extends BaseCommand {
  static override id = 'writes'
  constructor(argv: string[], config: Config, private readonly failure: Error) {
    super(argv, config)
  }
  async run(): Promise<void> {
    throw this.failure
  }
}

const errno = (code: string, syscall: string, path: string) => Object.assign(new Error(`${code}: ${syscall} failed, ${syscall} '${path}'`), {code, syscall, path, errno: -1})

afterEach(() => {
  process.exitCode = undefined
  vi.restoreAllMocks()
})

async function envelope(failure: Error): Promise<{exit: number | string | undefined; out: any}> {
  const config = await Config.load(new URL('../../..', import.meta.url).pathname)
  let out = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true))
  await new Writes(['--json'], config, failure).catch(failure as never)
  const exit = process.exitCode
  vi.restoreAllMocks()
  return {exit, out: JSON.parse(out)}
}

describe('errno errors that reach a command', () => {
  it('EROFS and EACCES are exit 4 naming the path and the operation, not "this is a bug"', async () => {
    for (const [code, syscall] of [['EROFS', 'open'], ['EACCES', 'mkdir']] as const) {
      const path = `/srv/qtl_for_qkn/.wicker/${syscall}-target`
      const {exit, out} = await envelope(errno(code, syscall, path))
      expect(exit).toBe(4)
      expect(out).toMatchObject({name: `E_IO_${code}`, details: {file: path, operation: syscall}})
      expect(out.message).toContain(`Could not ${syscall} ${path}`)
    }
  })

  it('anything else stays an internal error (exit 10)', async () => {
    const {exit, out} = await envelope(new TypeError('boom'))
    expect(exit).toBe(10)
    expect(out.name).toBe('E_INTERNAL')
  })
})
