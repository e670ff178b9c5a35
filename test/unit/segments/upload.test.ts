import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../../bench/synth/generate.js'
import {writeCourse} from '../../../bench/synth/write.js'
import {runPrepare} from '../../../src/core/segments/run.js'
import {checkUploadTarget, cleartextWarning} from '../../../src/core/segments/upload.js'
import {tempDir} from '../../helpers/fs.js'

const course = () => writeCourse(tempDir(), generateCourse({seeds: 12, seed: 31, canon: {fill: 0.2}}))
const prompts = (dir: string) => Object.fromEntries(readdirSync(join(dir, 'prompts')).sort().map((n) => [n, readFileSync(join(dir, 'prompts', n), 'utf8')]))

describe('prepare-segments --upload', () => {
  it('ends each worker prompt with its own PUT URL and curl line, names the token variable, never a token', async () => {
    const dir = course()
    const {result} = await runPrepare({course: dir, cwd: dir, packetSize: 6, upload: 'https://wicker.example.org/base//', tokenEnv: 'PELT_TOKEN', run: 'vorn'})
    const packet = result.segments[0]!.packets[0]!.id
    const prompt = prompts(result.dir)[`${packet}.md`]!
    const url = `https://wicker.example.org/base/v1/courses/${JSON.parse(readFileSync(join(result.dir, 'plan.json'), 'utf8')).course}/staging/vorn__${packet}__1.json`
    expect(prompt).toContain(`curl --fail-with-body -sS -X PUT -H "Authorization: Bearer $PELT_TOKEN" -H "Idempotency-Key: ${packet}-1" -H "content-type: application/json" --data-binary @${packet}.json ${url}\n`)
    for (const said of ['201', '200', '422', '`problems`', 'NEW Idempotency-Key', '401 or 403', '413', 'Retry-After', '5xx']) expect(prompt).toContain(said)
    expect(prompt).not.toContain('WICKER_TOKEN')
    expect(prompts(result.dir)['orchestrator-s1-o1.md']).toContain('PELT_TOKEN')
    const plan = JSON.parse(readFileSync(join(result.dir, 'plan.json'), 'utf8'))
    expect(plan.upload).toEqual({url: 'https://wicker.example.org/base', tokenEnv: 'PELT_TOKEN'})
  })

  it('leaves the prompts and run of a run without --upload as they were, and adds only the delivery section', async () => {
    const a = course()
    const plain = (await runPrepare({course: a, cwd: a})).result
    const before = prompts(plain.dir)
    expect(JSON.parse(readFileSync(join(plain.dir, 'plan.json'), 'utf8'))).not.toHaveProperty('upload')
    // the same packets with --upload: the same run, its prompts written again with the delivery section added
    const sent = (await runPrepare({course: a, cwd: a, upload: 'http://127.0.0.1:4750'})).result
    expect(sent.run).toBe(plain.run)
    expect(sent.unchanged).toBe(false)
    const after = prompts(sent.dir)
    expect(Object.keys(after)).toEqual(Object.keys(before))
    for (const [name, text] of Object.entries(before)) {
      expect(text).not.toContain('curl')
      expect(after[name]!.startsWith(text)).toBe(true)
      expect(after[name]!.slice(text.length)).toMatch(/^\n## Deliver/)
    }
    // and without it again: byte for byte the prompts of before
    await runPrepare({course: a, cwd: a})
    expect(prompts(plain.dir)).toEqual(before)
  })

  it.each([
    ['ftp://wicker.example.org', /ftp is not http or https/],
    ['https://pel:secret@wicker.example.org', /credentials/],
    ['https://wicker.example.org/?t=1', /query/],
    ['https://wicker.example.org/#x', /fragment/],
    ['wicker.example.org', /not a URL|not http/],
  ])('refuses --upload %s as a usage error naming the flag and the fix', (raw, why) => {
    let error: any
    try {
      checkUploadTarget(raw)
    } catch (error_) {
      error = error_
    }
    expect(error?.exitCode ?? error?.exit).toBe(2)
    expect(error.message).toMatch(/^--upload /)
    expect(error.message).toMatch(why)
    expect(error.hint).toMatch(/--upload https:\/\//)
  })

  it('refuses a --token-env that is not a variable name (a token pasted in)', () => {
    expect(() => checkUploadTarget('https://wicker.example.org', 'Bearer abc.def')).toThrow(/--token-env/)
  })
})

describe('a plain-http --upload to another machine is warned about', () => {
  it('warns for http to a remote host, never for https or loopback', () => {
    for (const url of ['https://wicker.example.org', 'http://127.0.0.1:4750', 'http://localhost:4750', 'http://[::1]:4750', 'http://127.9.9.9']) expect(cleartextWarning(checkUploadTarget(url)), url).toBeNull()
    for (const url of ['http://wicker.example.org', 'http://10.0.0.7:4750', 'http://127.0.0.1.example.org']) expect(cleartextWarning(checkUploadTarget(url)), url).toContain('unencrypted')
  })
})
