import {readdirSync, readFileSync, realpathSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {wickerIn} from '../helpers/cli-in.js'
import {snapshotTree, tempDir} from '../helpers/fs.js'

/** A fake agent that writes down how it was started (argv, cwd, wicker's variables), then fails. */
function recordingAgent() {
  const root = tempDir()
  const records = join(root, 'records')
  const script = join(root, 'agent.mjs')
  writeFileSync(
    script,
    `import {mkdirSync, writeFileSync} from 'node:fs'
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('WICKER_') || k === 'NO_COLOR'))
mkdirSync(${JSON.stringify(records)}, {recursive: true})
writeFileSync(${JSON.stringify(records)} + '/' + process.env.WICKER_PACKET.split('/').pop(), JSON.stringify({argv: process.argv, cwd: process.cwd(), env}))
process.exit(3)
`,
  )
  const node = realpathSync(process.execPath)
  return {records, node, script, cmd: JSON.stringify([node, script, '--packet', '{packet}', '--out', '{output}', '--try', '{attempt}', 'two words'])}
}

describe('launch --dry-run', () => {
  it('prints the exact vectors a real launch then starts, and starts, locks or writes nothing', async () => {
    const dir = writeCourse(tempDir(), generateCourse({seeds: 8, seed: 31, canon: {fill: 0}}))
    const prep = await wickerIn(['prepare-segments', dir, '--packet-size', '6', '--json'])
    const packets = prep.json.result.totals.packets as number
    expect(packets).toBeGreaterThan(1)
    const agent = recordingAgent()
    const args = ['launch', dir, '--agent', 'command', '--agent-cmd', agent.cmd, '--timeout', '90s', '--retries', '0', '--stagger', '0', '--halt', 'never']
    const before = snapshotTree(dir)

    const dry = await wickerIn([...args, '--dry-run', '--json'])
    expect(dry.code, dry.stderr).toBe(0)
    const result = dry.json.result
    expect(result.dryRun).toBe(true)
    expect(result.invocations).toHaveLength(packets)
    // nothing written: no ledger, logs, work folder, lock or staging; nothing started
    expect(snapshotTree(dir)).toEqual(before)
    expect(() => readdirSync(agent.records)).toThrow()
    const inv = result.invocations[0]
    expect(inv).toMatchObject({attempt: 1, command: agent.node, timeoutMs: 90_000})
    expect(Object.keys(inv.env).sort()).toEqual(['NO_COLOR', 'WICKER_ATTEMPT', 'WICKER_OUTPUT', 'WICKER_PACKET', 'WICKER_PROMPT_FILE', 'WICKER_RUN'])
    expect(inv.envAtStart).toEqual(['WICKER_ATTEMPT_ID'])

    // the human form: one line per packet, the command as a shell would need it written
    const text = await wickerIn([...args, '--dry-run'])
    expect(text.code).toBe(0)
    const lines = text.stdout.trim().split('\n')
    expect(lines).toHaveLength(packets)
    expect(lines[0]).toBe([agent.node, ...inv.args].map((w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w}'`)).join(' '))
    expect(snapshotTree(dir)).toEqual(before)

    // the real launch starts exactly those vectors, in that folder, with those variables
    const real = await wickerIn(args)
    expect(real.code, real.stdout + real.stderr).toBe(1) // the fake agent fails every packet
    for (const planned of result.invocations) {
      const got = JSON.parse(readFileSync(join(agent.records, `${planned.packet}.json`), 'utf8'))
      expect(got.argv).toEqual([planned.command, ...planned.args])
      expect(got.cwd).toBe(planned.cwd)
      const {[planned.envAtStart[0]]: marker, ...env} = got.env
      expect(marker).toMatch(new RegExp(`^${prep.json.result.run}:${planned.packet}:1:`))
      expect(env).toEqual(planned.env)
    }

    // after a failed attempt, a dry run of --retry-failed shows attempt 2
    const again = await wickerIn([...args, '--retry-failed', '--dry-run', '--json'])
    expect(again.json.result.invocations.map((i: {attempt: number}) => i.attempt)).toEqual(Array(packets).fill(2))
  })
})
