import {execFileSync, spawn} from 'node:child_process'
import {appendFileSync, mkdirSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {errnoToIoError, EXIT, WickerError} from '../../../src/core/errors.js'
import {sha256Hex} from '../../../src/core/hash.js'
import {realDisk} from '../../../src/core/store/disk.js'
import {maxFileBytes, readCourseFile} from '../../../src/core/store/read-file.js'
import {readBytes} from '../../../src/core/store/read-json.js'
import {tempDir} from '../../helpers/fs.js'

/** What a read was refused with: the WickerError's code and exit code, and its message. */
async function refusal(read: Promise<unknown>): Promise<{code: string; exit: number; message: string}> {
  try {
    await read
  } catch (error) {
    if (!(error instanceof WickerError)) throw error
    return {code: error.code, exit: error.exitCode, message: error.message}
  }
  throw new Error('the read was not refused')
}

/** Resolves or rejects within `ms`, or fails the test: a read that blocks is the bug. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still blocked after ${ms} ms`)), ms).unref())])
}

describe('the guarded reader of course files', () => {
  const dir = tempDir()

  it('refuses a FIFO at once instead of blocking on it (no writer ever comes)', async () => {
    const fifo = join(dir, 'lego_pairs.json')
    execFileSync('mkfifo', [fifo])
    // each read started only when it is awaited: one that fails while another is awaited would go unhandled
    for (const read of [() => readBytes(fifo), () => realDisk.readFile(fifo), () => realDisk.sha256(fifo)]) {
      const r = await within(2000, refusal(read()))
      expect(r).toMatchObject({code: 'E_IO_NOT_A_FILE', exit: EXIT.io})
      expect(r.message).toContain(fifo)
      expect(r.message).toContain('FIFO')
    }
  })

  it('refuses a symlink to /dev/zero before reading a byte of it', async () => {
    const link = join(dir, 'zero.json')
    symlinkSync('/dev/zero', link)
    const r = await within(2000, refusal(readBytes(link)))
    expect(r).toMatchObject({code: 'E_IO_NOT_A_FILE', exit: EXIT.io})
    expect(r.message).toContain('character device')
  })

  it('refuses a folder and a socket, naming what they are', async () => {
    const folder = join(dir, 'lego_baskets.json')
    mkdirSync(folder)
    expect(await refusal(realDisk.readFile(folder))).toMatchObject({code: 'E_IO_EISDIR', exit: EXIT.io, message: expect.stringContaining('a folder')})
    const socketPath = join(dir, 'sock.json')
    const server = createServer()
    await new Promise<void>((done) => server.listen(socketPath, done))
    try {
      expect(await refusal(readBytes(socketPath))).toMatchObject({code: 'E_IO_NOT_A_FILE', message: expect.stringContaining('socket')})
    } finally {
      server.close()
    }
  })

  it('refuses a file over the cap before reading it, and says how to raise the cap', async () => {
    const big = join(dir, 'big.json')
    writeFileSync(big, '{"pad": "' + 'x'.repeat(4096) + '"}')
    const r = await refusal(readCourseFile(big, {maxBytes: 1024}))
    expect(r).toMatchObject({code: 'E_INPUT_TOO_LARGE', exit: EXIT.usage})
    expect(r.message).toContain(big)
    expect((await readCourseFile(big, {maxBytes: 8192})).length).toBe(4107)
    expect(maxFileBytes({WICKER_MAX_FILE_BYTES: '100m'})).toBe(100 * 1024 ** 2)
    expect(maxFileBytes({})).toBe(500 * 1024 ** 2)
    expect(() => maxFileBytes({WICKER_MAX_FILE_BYTES: 'lots'})).toThrow(/WICKER_MAX_FILE_BYTES=lots is not a size/)
    // Node cannot hold a longer text, so a cap above it would only move the failure to a crash
    expect(() => maxFileBytes({WICKER_MAX_FILE_BYTES: '4g'})).toThrow(/the longest text Node can hold/)
  })

  it('refuses a file whose content runs past the size it reported (it is still growing)', async () => {
    // /proc files report size 0 and then deliver bytes: exactly what a file grown after fstat does
    const r = await refusal(readCourseFile('/proc/self/status'))
    expect(r).toMatchObject({code: 'E_IO_CHANGING', exit: EXIT.io})
  })

  it('reads an append-only log (.ndjson) while another process appends to it', async () => {
    const log = join(dir, 'journal.ndjson')
    writeFileSync(log, '{"type":"begin"}\n')
    // a real second process appending lines as fast as it can, for at most two seconds
    const appender = spawn(process.execPath, ['-e', `const fs = require('fs'); const end = Date.now() + 2000; while (Date.now() < end) fs.appendFileSync(${JSON.stringify(log)}, '{"type":"commit"}\\n')`])
    try {
      // it has started once the log grows
      for (let waited = 0; statSync(log).size <= 17 && waited < 5000; waited += 20) await new Promise((done) => setTimeout(done, 20))
      const sizes: number[] = []
      for (let i = 0; i < 100; i++) sizes.push((await realDisk.readFile(log)).length)
      expect(sizes.at(-1)!).toBeGreaterThan(sizes[0]!)
      expect([...sizes].sort((a, b) => a - b)).toEqual(sizes)
    } finally {
      appender.kill('SIGKILL')
    }
  })

  it('reads a regular file through a symlink, also one that leads out of the course', async () => {
    const outside = tempDir()
    writeFileSync(join(outside, 'shared-canon.json'), '{"baskets": {}}\n')
    const course = tempDir()
    symlinkSync(join(outside, 'shared-canon.json'), join(course, 'lego_baskets.json'))
    expect((await readBytes(join(course, 'lego_baskets.json'))).toString()).toBe('{"baskets": {}}\n')
  })

  it('hashes a file of any size whole, in pieces no bigger than the file (and a file that grew since, whole)', async () => {
    const dir = tempDir()
    for (const size of [0, 1, 4096, (8 << 20) + 3]) {
      const bytes = Buffer.alloc(size, 'kelmar ')
      writeFileSync(join(dir, `f${size}`), bytes)
      expect(await realDisk.sha256(join(dir, `f${size}`))).toBe(sha256Hex(bytes))
    }
    // grown between the open (which sizes the piece) and the read: every byte there is read
    const file = join(dir, 'growing')
    writeFileSync(file, 'a')
    const grow = setImmediate(() => appendFileSync(file, 'b'.repeat(100)))
    const hash = await realDisk.sha256(file)
    clearImmediate(grow)
    expect([sha256Hex('a'), sha256Hex(`a${'b'.repeat(100)}`)]).toContain(hash)
  })

  it('turns an errno error nobody wrapped into exit 4 with the path and the operation', () => {
    const erofs = Object.assign(new Error("EROFS: read-only file system, open '/srv/qtl_for_qkn/lego_baskets.json.tmp'"), {code: 'EROFS', syscall: 'open', path: '/srv/qtl_for_qkn/lego_baskets.json.tmp', errno: -30})
    const io = errnoToIoError(erofs)!
    expect(io.exitCode).toBe(EXIT.io)
    expect(io.code).toBe('E_IO_EROFS')
    expect(io.message).toContain('Could not open /srv/qtl_for_qkn/lego_baskets.json.tmp')
    expect(io.details).toMatchObject({file: '/srv/qtl_for_qkn/lego_baskets.json.tmp', operation: 'open'})
    expect(errnoToIoError(new TypeError('x is undefined'))).toBeNull()
  })
})
