import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {STACK_TRACE, wickerAsync} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir, writeTree} from '../helpers/fs.js'
import {previewCourse} from '../helpers/preview-course.js'

/**
 * The built detect reads canon on a worker thread (canon/usable-worker.ts) while lego_pairs loads;
 * WICKER_CANON_WORKER=1 makes it do so for a canon of any size, =0 reads it on the main thread,
 * as the unit tests do. Both must answer
 * byte for byte the same (stdout, stderr, exit code), for good canon and for every kind of bad one:
 * a refusal is always told by the main thread's full read, never by the worker, never as exit 10.
 */
const CODE = 'qtl_for_qkn'
const LEGO_PAIRS = {
  course: CODE,
  seeds: [{seed_id: 'S0001', seed_pair: {known: 'feteet sto', target: 'veil qoux'}, legos: [
    {id: 'S0001L01', type: 'A', new: true, lego: {known: 'feteet', target: 'veil'}},
    {id: 'S0001L02', type: 'A', new: true, lego: {known: 'sto', target: 'qoux'}},
    {id: 'S0001L03', type: 'A', new: false, lego: {known: 'mip', target: 'dax'}},
  ]}],
}
const basket = (target: string) => `{"lego":{"known":"feteet","target":"veil"},"practice_phrases":[{"known":"feteet","target":"${target}"}],"is_final_lego":false,"phrase_count":1}`
const canon = (baskets: string, rest = '') => `{"version":"1.0.0","course":"${CODE}","metadata":{"total_baskets":1}${rest},"baskets":{${baskets}}}\n`

const CANONS: Record<string, string | Buffer | ((file: string) => void) | null> = {
  'a canon in wicker shape': canon(`"S0001L01":${basket('veil')},"S0001L03":${basket('dax')},"S0009L01":${basket('zorp')}`),
  'written with 2-space indents': `${JSON.stringify(JSON.parse(canon(`"S0001L01":${basket('veil')}`)), null, 2)}\n`,
  'empty, escaped and legacy baskets, strays and upload fields': canon(`"S0001L01":{"practice_phrases":[{"known":" ","target":"\u3000"}]},"S0001L02":{"practice_phrases":[["sto","qo\\"ux"]]},"S0001L03":[],"x1":null`, ',"S0001L02":{"practice_phrases":[]},"seedId":"u"'),
  'no canon': null,
  'an empty file': '',
  'not JSON': canon(`"S0001L01":${basket('veil')},`),
  'a basket id twice': canon(`"S0001L01":${basket('veil')},"S0001L01":${basket('zorp')}`),
  'a lone surrogate escape': canon(`"S0001L01":${basket('veil \\ud800')}`),
  'a raw control character': canon(`"S0001L01":${basket('veil\u0001')}`),
  'a big number': canon(`"S0001L01":${basket('veil')}`, ',"n":12345678901234567890'),
  'a byte order mark': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(canon(`"S0001L01":${basket('veil')}`))]),
  'an invalid UTF-8 byte': Buffer.concat([Buffer.from(canon(`"S0001L01":${basket('ve')}`).slice(0, 60)), Buffer.from([0xc3, 0x28]), Buffer.from(canon(`"S0001L01":${basket('ve')}`).slice(60))]),
  'nesting 20,000 deep': canon(`"S0001L01":${'['.repeat(20_000)}${']'.repeat(20_000)}`),
  'a prototype key': canon(`"__proto__":${basket('veil')}`),
  'an array': '[]\n',
  'a folder': (file) => mkdirSync(file),
  'a FIFO': (file) => execFileSync('mkfifo', [file]),
  'a link to /dev/zero': (file) => symlinkSync('/dev/zero', file),
  'a dangling link': (file) => symlinkSync(join(file, '..', 'nowhere.json'), file),
}

/** progress lines say how long a step took */
const untimed = (stderr: string) => stderr.replace(/ in \d+(\.\d+)? s\b/g, ' in … s')

function course(content: string | Buffer | ((file: string) => void) | null): string {
  const dir = join(tempDir(), CODE)
  writeTree(dir, {'lego_pairs.json': LEGO_PAIRS})
  const file = join(dir, 'lego_baskets.json')
  if (typeof content === 'function') content(file)
  else if (content !== null) writeFileSync(file, content)
  return dir
}

describe('detect reads canon on a worker thread, and answers as the main thread does', () => {
  it('is built with its worker, used by default for a canon of 8 MB or more', async () => {
    expect(existsSync(fileURLToPath(new URL('../../dist/core/canon/usable-worker.js', import.meta.url)))).toBe(true)
    const built = (await import(new URL('../../dist/core/canon/usable-off-thread.js', import.meta.url).href)) as typeof import('../../src/core/canon/usable-off-thread.js')
    const {canReadOffThread, OFF_THREAD_BYTES} = built
    expect(OFF_THREAD_BYTES).toBe(8 * 1024 ** 2)
    expect([canReadOffThread(OFF_THREAD_BYTES - 1, {}), canReadOffThread(OFF_THREAD_BYTES, {}), canReadOffThread(-1, {})]).toEqual([false, true, false])
    expect([canReadOffThread(10, {WICKER_CANON_WORKER: '1'}), canReadOffThread(OFF_THREAD_BYTES, {WICKER_CANON_WORKER: '0'})]).toEqual([true, false])
  })

  for (const [name, content] of Object.entries(CANONS)) {
    // in this process (the built CLI's main(), which starts the same worker), except where a read
    // could block: a FIFO and /dev/zero get processes of their own, killed if they hang
    const blocking = name === 'a FIFO' || name === 'a link to /dev/zero'
    const run = (args: string[], env: Record<string, string>) => (blocking ? wickerAsync(args, {env, timeout: 20_000}) : wickerIn(args, {env}))
    it(`${name}: the same stdout, stderr and exit code either way`, async () => {
      const dir = course(content)
      for (const args of [['detect', dir, '--json'], ['detect', dir]]) {
        const off = await run(args, {WICKER_CANON_WORKER: '0'})
        const on = await run(args, {WICKER_CANON_WORKER: '1'})
        expect(on.signal, 'the command hung and was killed').toBeNull()
        expect({code: on.code, stdout: on.stdout, stderr: untimed(on.stderr)}).toEqual({code: off.code, stdout: off.stdout, stderr: untimed(off.stderr)})
        expect(on.code).not.toBe(10)
        expect(on.stderr).not.toMatch(STACK_TRACE)
      }
      rmSync(dir, {recursive: true, force: true})
    })
  }

  it("--out: the manifest names canon's hash either way", async () => {
    for (const name of ['a canon in wicker shape', 'written with 2-space indents', 'empty, escaped and legacy baskets, strays and upload fields', 'a byte order mark']) {
      const dir = course(CANONS[name] as string | Buffer)
      const sha = createHash('sha256').update(readFileSync(join(dir, 'lego_baskets.json'))).digest('hex')
      for (const worker of ['0', '1']) {
        const out = join(dir, `missing-${worker}.json`)
        const run = await wickerIn(['detect', dir, '--out', out, '--json'], {env: {WICKER_CANON_WORKER: worker}})
        expect([name, worker, run.code, JSON.parse(readFileSync(out, 'utf8')).canonSha256]).toEqual([name, worker, 0, sha])
      }
    }
  })

  it("without a hash asked for, canon's hash is taken when first read, from the very bytes", async () => {
    const built = (await import(new URL('../../dist/core/canon/read.js', import.meta.url).href)) as typeof import('../../src/core/canon/read.js')
    const dir = course(CANONS['a canon in wicker shape'] as string)
    const file = join(dir, 'lego_baskets.json')
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex')
    const before = process.env.WICKER_CANON_WORKER
    process.env.WICKER_CANON_WORKER = '1'
    try {
      for (const spans of ['usable', 'phrases'] as const) {
        const read = await built.readCanon(file, {spans, hash: false})
        // not hashed by the read: taken when first asked for
        expect(typeof Object.getOwnPropertyDescriptor(read, 'sha256')?.get).toBe('function')
        // the file changes after the read: the hash is still the bytes read
        writeFileSync(file, canon(`"S0001L01":${basket('zorp')}`))
        expect([spans, read.baskets.size, read.sha256, read.sha256]).toEqual([spans, 3, sha, sha])
        writeFileSync(file, CANONS['a canon in wicker shape'] as string)
        // asked for, it is hashed by the read
        const hashed = await built.readCanon(file, {spans})
        expect([Object.getOwnPropertyDescriptor(hashed, 'sha256')?.value, hashed.sha256]).toEqual([sha, sha])
      }
      // where no basket is in wicker's shape (the bytes are let go), it is hashed by the read too
      writeFileSync(file, canon(`"S0001L01":{"practice_phrases":[["feteet","veil"]]}`))
      const legacy = await built.readCanon(file, {spans: 'usable', hash: false})
      expect(Object.getOwnPropertyDescriptor(legacy, 'sha256')?.value).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'))
    } finally {
      if (before === undefined) delete process.env.WICKER_CANON_WORKER
      else process.env.WICKER_CANON_WORKER = before
    }
  })

  it('a size cap under the canon: the same refusal either way', async () => {
    const dir = course(canon(`"S0001L01":${basket('veil'.repeat(100))}`))
    const args = ['detect', dir, '--json']
    const env = {WICKER_MAX_FILE_BYTES: '700'}
    const [off, on] = await Promise.all([wickerAsync(args, {env: {...env, WICKER_CANON_WORKER: '0'}}), wickerAsync(args, {env: {...env, WICKER_CANON_WORKER: '1'}})])
    expect(on.code).toBe(2)
    expect(on.json.message).toMatch(/over the 700-byte cap/)
    expect({code: on.code, stdout: on.stdout}).toEqual({code: off.code, stdout: off.stdout})
  })
})

describe("preview reads and hashes canon on the worker where canon's index may vouch for its layout", () => {
  it('the same stdout, stderr and exit code either way: a canon wicker wrote, the same edited since, and one that is no longer JSON', async () => {
    const dir = previewCourse()
    const merged = await wickerIn(['merge', dir, '--yes', '--on-conflict', 'keep-canon', '--json'])
    expect(merged.json?.result?.status).toBe('merged')
    expect(existsSync(join(dir, '.wicker', 'canon-index.json'))).toBe(true)
    const file = join(dir, 'lego_baskets.json')
    const written = readFileSync(file, 'utf8')
    // read on the worker, the index vouches for the bytes: canon is read by its layout, with the bytes' hash
    const built = (await import(new URL('../../dist/core/canon/read.js', import.meta.url).href)) as typeof import('../../src/core/canon/read.js')
    const before = process.env.WICKER_CANON_WORKER
    process.env.WICKER_CANON_WORKER = '1'
    try {
      const read = await built.readCanon(file, {spans: 'usable', index: join(dir, '.wicker', 'canon-index.json')})
      expect([read.layout !== undefined, read.sha256]).toEqual([true, createHash('sha256').update(written).digest('hex')])
    } finally {
      if (before === undefined) delete process.env.WICKER_CANON_WORKER
      else process.env.WICKER_CANON_WORKER = before
    }
    const index = join(dir, '.wicker', 'canon-index.json')
    const cases = [['as wicker wrote it', written], ['edited since', written.replace('"vosh rulo"', '"vosh lodo"')], ['no longer JSON', written.slice(0, -3)], ['its index damaged', written]] as const
    for (const [name, text] of cases) {
      writeFileSync(file, text)
      // the warning that the index is not used comes where it always came, before lego_pairs' own
      if (name === 'its index damaged') writeFileSync(index, '{"kind": "wicker/canon-index"')
      for (const args of [['preview', dir, '--json'], ['preview', dir]]) {
        const off = await wickerIn(args, {env: {WICKER_CANON_WORKER: '0'}})
        const on = await wickerIn(args, {env: {WICKER_CANON_WORKER: '1'}})
        expect({name, code: on.code, stdout: on.stdout, stderr: untimed(on.stderr)}).toEqual({name, code: off.code, stdout: off.stdout, stderr: untimed(off.stderr)})
        expect([name, on.code === 10, STACK_TRACE.test(on.stderr)]).toEqual([name, false, false])
      }
    }
  })
})
