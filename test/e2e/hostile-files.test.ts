import {execFileSync} from 'node:child_process'
import {mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {STACK_TRACE, wicker as run, type CliRun} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir, writeTree} from '../helpers/fs.js'

/**
 * The built CLI against course folders whose files are not what they should be: FIFOs, devices,
 * folders, a file where a folder belongs, and canon another tool wrote with content JSON.parse
 * cannot keep. Each must end within seconds with a message and a documented exit code. The files a
 * read could block on (FIFO, /dev/zero) meet a process of wicker's own; the others run in process.
 */
const CODE = 'qtl_for_qkn'
const LEGO_PAIRS = {
  course: CODE,
  seeds: [{seed_id: 'S0001', seed_pair: {known: 'feteet sto', target: 'veil qoux'}, legos: [
    {id: 'S0001L01', type: 'A', new: true, lego: {known: 'feteet', target: 'veil'}},
    {id: 'S0001L02', type: 'A', new: true, lego: {known: 'sto', target: 'qoux'}},
  ]}],
}
const basket = (target: string) => `{"lego":{"known":"feteet","target":"veil"},"practice_phrases":[{"known":"feteet","target":"${target}"}]}`
/** canon as another tool writes it: compact, one line */
const foreignCanon = (baskets: string, metadata = '') => `{"version":"1.0.0","course":"${CODE}","metadata":{"total_baskets":1${metadata}},"baskets":{${baskets}}}\n`
const STAGED = (target = 'qoux') => JSON.stringify({S0001L02: {practice_phrases: [{known: 'sto', target}, {known: 'feteet sto', target: `veil ${target}`}]}})

/** A fresh course folder; `change` then makes one of its files hostile. */
function course(change: (dir: string) => void = () => undefined): string {
  const dir = join(tempDir(), CODE)
  writeTree(dir, {'lego_pairs.json': LEGO_PAIRS, 'lego_baskets.json': foreignCanon(`"S0001L01":${basket('veil')}`), 'phase5_baskets_staging/t1.json': STAGED()})
  change(dir)
  return dir
}

type Run = CliRun

/**
 * The built binary with a short timeout: a hang shows as signal SIGKILL instead of a code. For the
 * files whose read can block for ever (a FIFO, /dev/zero): a process of its own, so a hang is killed.
 */
const wicker = (args: string[], env: Record<string, string> = {}): Run => run([...args, '--json'], {env, timeout: 20_000})
/** The same command in the test's process (test/helpers/cli-in.ts), for files that cannot block a read. */
const wickerHere = (args: string[], env: Record<string, string> = {}): Promise<Run> => wickerIn([...args, '--json'], {env})

/** The command ended by itself with `code`, an error envelope naming `file`, and no stack trace. */
function expectRefusal(run: Run, code: number, file: string, what: RegExp): void {
  expect(run.signal, 'the command hung and was killed').toBeNull()
  expect(run.code).toBe(code)
  expect(run.json?.status).toBe(code)
  expect(run.json.message).toContain(file)
  expect(run.json.message).toMatch(what)
  expect(run.json.name).not.toBe('E_INTERNAL')
  expect(run.stderr).not.toMatch(STACK_TRACE)
}

describe('course files that are not regular files', () => {
  it('a FIFO as lego_pairs.json or as canon: detect, status and merge end at once with exit 4', () => {
    for (const name of ['lego_pairs.json', 'lego_baskets.json']) {
      const dir = course((d) => {
        rmSync(join(d, name))
        execFileSync('mkfifo', [join(d, name)])
      })
      for (const command of [['detect'], ['status'], ['merge', '--yes']]) expectRefusal(wicker([...command, dir]), 4, join(dir, name), /FIFO/)
    }
  })

  it('a symlink to /dev/zero as lego_pairs.json or as canon is refused before it is read', () => {
    for (const [name, command] of [['lego_pairs.json', ['detect']], ['lego_baskets.json', ['merge', '--yes']]] as const) {
      const dir = course((d) => {
        rmSync(join(d, name))
        symlinkSync('/dev/zero', join(d, name))
      })
      expectRefusal(wicker([...command, dir]), 4, join(dir, name), /character device/)
    }
  })

  it('a folder as lego_pairs.json or as canon is exit 4 naming it, never exit 10', async () => {
    for (const [name, command] of [['lego_pairs.json', 'validate'], ['lego_baskets.json', 'preview']] as const) {
      const dir = course((d) => {
        rmSync(join(d, name))
        mkdirSync(join(d, name))
      })
      expectRefusal(await wickerHere([command, dir]), 4, join(dir, name), /is a folder/)
    }
  })

  it('a course file over the size cap is refused before it is read (exit 2), and the cap can be raised', async () => {
    const dir = course()
    const over = await wickerHere(['detect', dir], {WICKER_MAX_FILE_BYTES: '300'})
    expectRefusal(over, 2, join(dir, 'lego_pairs.json'), /over the 300-byte cap/)
    expect(over.json.hint).toContain('WICKER_MAX_FILE_BYTES')
    expect((await wickerHere(['detect', dir], {WICKER_MAX_FILE_BYTES: '1m'})).code).toBe(0)
  })

  it('.wicker being a file: every command that writes under it exits 4 with the path', async () => {
    const dir = course((d) => writeFileSync(join(d, '.wicker'), 'not a folder\n'))
    for (const command of [['merge', '--yes'], ['extract'], ['prepare-segments']]) expectRefusal(await wickerHere([...command, dir]), 4, join(dir, '.wicker'), /EEXIST|ENOTDIR/)
  })

  // chmod does not stop root from writing, and there is no read-only mount here; errnoToIoError is
  // tested in-process with a real EROFS-shaped error in test/unit/store/read-file.test.ts
  it.skipIf(process.getuid?.() === 0)('a read-only course folder: merge exits 4 naming the path (skipped as root)', async () => {
    const dir = course()
    execFileSync('chmod', ['555', dir])
    try {
      expectRefusal(await wickerHere(['merge', '--yes', dir]), 4, dir, /EACCES|permission/i)
    } finally {
      execFileSync('chmod', ['755', dir])
    }
  })

  it('the staging folder being a file is exit 4 with its path', async () => {
    const dir = course((d) => {
      rmSync(join(d, 'phase5_baskets_staging'), {recursive: true})
      writeFileSync(join(d, 'phase5_baskets_staging'), 'not a folder\n')
    })
    expectRefusal(await wickerHere(['merge', '--yes', dir]), 4, join(dir, 'phase5_baskets_staging'), /ENOTDIR/)
  })
})

describe('canon another tool wrote, with content JSON.parse cannot keep', () => {
  const cases: Record<string, [string | Buffer, RegExp]> = {
    'a basket id present twice': [foreignCanon(`"S0001L01":${basket('veil')},"S0001L01":${basket('zorp veil')}`), /\$\.baskets\.S0001L01 \(line 1, column \d+\): the key "S0001L01" appears twice/],
    'an invalid UTF-8 byte': [Buffer.concat([Buffer.from(foreignCanon(`"S0001L01":${basket('ve@il')}`).split('@')[0]!), Buffer.from([0xc3, 0x28]), Buffer.from(foreignCanon(`"S0001L01":${basket('ve@il')}`).split('@')[1]!)]), /byte \d+ \(line 1, column \d+\): 0xc3 is not valid UTF-8/],
    'a large number in metadata': [foreignCanon(`"S0001L01":${basket('veil')}`, ',"origin":12345678901234567890'), /\$\.metadata\.origin .*12345678901234567890 cannot be kept exactly/],
    'a lone surrogate escape': [foreignCanon(`"S0001L01":${basket('veil \\ud800')}`), /\$\.baskets\.S0001L01\.practice_phrases\[0\]\.target .*lone surrogate \\ud800/],
    'a basket nested 20,000 levels deep': [foreignCanon(`"S0001L01":${basket('veil')},"S0001L03":${'['.repeat(20_000)}${']'.repeat(20_000)}`), /nesting deeper than 64 levels/],
  }

  for (const [name, [bytes, place]] of Object.entries(cases)) {
    it(`merge refuses ${name} with the place, and canon stays byte for byte`, async () => {
      const dir = course((d) => writeFileSync(join(d, 'lego_baskets.json'), bytes))
      const canon = join(dir, 'lego_baskets.json')
      const run = await wickerHere(['merge', '--yes', dir])
      expectRefusal(run, 2, canon, place)
      expect(run.json.name).toBe('E_CANON_STRICT')
      expect(readFileSync(canon).equals(Buffer.from(bytes))).toBe(true)
      expect(readFileSync(join(dir, 'phase5_baskets_staging/t1.json'), 'utf8')).toBe(STAGED())
    })
  }

  it('read-only commands refuse such a canon too (exit 2), rather than report from a lossy parse', async () => {
    const dir = course((d) => writeFileSync(join(d, 'lego_baskets.json'), cases['a basket id present twice']![0]))
    for (const command of ['detect', 'status']) expectRefusal(await wickerHere([command, dir]), 2, join(dir, 'lego_baskets.json'), /appears twice/)
  })
})

describe('staging with a lone surrogate', () => {
  it('is refused by extract and never reaches canon', async () => {
    const dir = course((d) => writeFileSync(join(d, 'phase5_baskets_staging/t1.json'), STAGED('qoux@').replace('@', '\\ud800')))
    const before = readFileSync(join(dir, 'lego_baskets.json'))
    const extract = await wickerHere(['extract', dir])
    expect(extract.signal).toBeNull()
    const problem = extract.json.result.problems.find((p: {file: string}) => p.file.endsWith('t1.json'))
    expect(problem).toMatchObject({kind: 'hostile', message: expect.stringMatching(/lone surrogate \\ud800/)})
    const merge = await wickerHere(['merge', '--yes', dir])
    expect(merge.json.result?.added ?? []).toEqual([])
    expect(readFileSync(join(dir, 'lego_baskets.json')).equals(before)).toBe(true)
  })
})
