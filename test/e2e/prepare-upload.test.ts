import {mkdirSync, readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import {describe, expect, it} from 'vitest'

import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'
import {startServer} from '../../bench/serve-process.js'
import {stagingCourse} from '../helpers/staging.js'

const BUILTIN = new URL('../../dist/agent/builtin.js', import.meta.url).pathname
const STAGING = 'phase5_baskets_staging'

describe('prepare-segments --upload', () => {
  it('renders a curl line that, run as written by a remote agent with the builtin agent\'s output, puts the basket file into staging (201, then 200 on retry)', async () => {
    const synth = stagingCourse()
    const made = await wickerIn(['serve', 'token', 'create', synth.dir, '--expires', '1h', '--json'])
    expect(made.code, made.stderr).toBe(0)
    const {child, listening, exited} = await startServer(synth.dir)
    try {
      const prepared = await wickerIn(['prepare-segments', synth.dir, '--upload', `${listening.url}/`, '--token-env', 'DROM_TOKEN', '--run', 'skel', '--json'])
      expect(prepared.code, prepared.stderr).toBe(0)
      const {dir, segments} = prepared.json.result
      const packet = segments[0].packets[0].id as string
      const code = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).course as string
      const prompt = readFileSync(join(dir, 'prompts', `${packet}.md`), 'utf8')
      const url = `${listening.url}/v1/courses/${code}/staging/skel__${packet}__1.json`
      const line = `curl --fail-with-body -sS -X PUT -H "Authorization: Bearer $DROM_TOKEN" -H "Idempotency-Key: ${packet}-1" -H "content-type: application/json" --data-binary @${packet}.json ${url}`
      expect(prompt).toContain(`${line}\n`)
      expect(prompt).not.toContain(made.json.result.token)

      // the remote side: the builtin agent writes its output where the prompt says, then the prompt's line runs as it is
      const remote = tempDir()
      mkdirSync(remote, {recursive: true})
      await execa(process.execPath, [BUILTIN], {input: prompt, env: {WICKER_PACKET: join(dir, 'packets', `${packet}.json`), WICKER_OUTPUT: join(remote, `${packet}.json`), WICKER_RUN: 'skel', WICKER_ATTEMPT: '1'}})
      const body = readFileSync(join(remote, `${packet}.json`), 'utf8')
      const env = {DROM_TOKEN: made.json.result.token as string}
      const first = await execa(line, {shell: true, cwd: remote, env, reject: false})
      expect(first.exitCode, first.stderr).toBe(0)
      expect(JSON.parse(first.stdout)).toMatchObject({file: `${STAGING}/skel__${packet}__1.json`, bytes: Buffer.byteLength(body)})
      expect(readFileSync(join(synth.dir, STAGING, `skel__${packet}__1.json`), 'utf8')).toBe(body)
      // a network retry, same key and body: the stored answer, nothing new in staging
      const again = await execa(line, {shell: true, cwd: remote, env, reject: false})
      expect(again.exitCode, again.stderr).toBe(0)
      expect(JSON.parse(again.stdout)).toEqual(JSON.parse(first.stdout))
      expect(readdirSync(join(synth.dir, STAGING))).toEqual([`skel__${packet}__1.json`])
      // a wrong token: curl fails (22) with the 401 body, nothing written
      const refused = await execa(line, {shell: true, cwd: remote, env: {DROM_TOKEN: 'wkt_nonsense'}, reject: false})
      expect(refused.exitCode).toBe(22)
      expect(refused.stdout).toMatch(/"status":401/)
      expect(readdirSync(join(synth.dir, STAGING))).toEqual([`skel__${packet}__1.json`])
    } finally {
      child.kill('SIGTERM')
    }
    await exited
  }, 30_000)

  it.each([
    ['ftp://wicker.example.org', /ftp is not http or https/],
    ['https://pel:secret@wicker.example.org', /credentials/],
    ['https://wicker.example.org/?token=abc', /query/],
    ['not a url', /not a URL/],
  ])('refuses --upload %s with exit 2, naming the flag and the fix, before writing anything', async (raw, why) => {
    const synth = stagingCourse()
    const run = await wickerIn(['prepare-segments', synth.dir, '--upload', raw, '--json'])
    expect(run.code, run.stderr).toBe(2)
    expect(run.json.message).toMatch(/^--upload /)
    expect(run.json.message).toMatch(why)
    expect(run.json.hint).toMatch(/--upload https:\/\//)
    expect(run.stderr).not.toMatch(STACK_TRACE)
    expect(() => readdirSync(join(synth.dir, '.wicker', 'runs'))).toThrow()
  })
})
