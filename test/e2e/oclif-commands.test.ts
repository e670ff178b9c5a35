import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {BIN, STACK_TRACE, wicker} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'

const ROOT = new URL('../..', import.meta.url).pathname
const SAMPLE = join(ROOT, 'sample/courses/qtl_for_qkn')
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}
const ANSI = /\u001B\[[0-9;]*m/

/** wicker with stdin at /dev/null (closed to input, not a terminal), as under cron or CI. */
function noTerminal(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL', env: {...process.env, NO_COLOR: '1', ...env}})
  return {code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr}
}

describe('what oclif users expect', () => {
  // in process (test/helpers/cli-in.ts; cli-in.test.ts checks help is the same both ways): the bin's
  // own --help shortcut is the next case's, with real processes
  it('answers help and -h for every command, the root help listing them all', async () => {
    const root = await wickerIn(['help'])
    expect(root.code).toBe(0)
    // a topic's commands (serve:token:create) are listed under their topic (serve), whose own help lists them
    for (const id of Object.keys(manifest.commands)) expect(root.stdout).toContain(id.split(':')[0])
    for (const id of Object.keys(manifest.commands).filter((c) => c.includes(':'))) {
      const topic = id.split(':').slice(0, -1)
      expect((await wickerIn(['help', ...topic])).stdout, id).toContain(id.replaceAll(':', ' '))
    }
    expect((await wickerIn(['help', 'validate'])).stdout).toContain('$ wicker validate COURSE')
    for (const id of ['validate', 'merge', 'demo', 'version']) {
      const short = await wickerIn([id, '-h'])
      expect(short.code, id).toBe(0)
      expect(short.stdout).toContain(`$ wicker ${id}`)
      expect(short.stdout).toContain('EXAMPLES')
    }
  })

  it('answers --help from the build\'s capture exactly as oclif does, plugin commands included', () => {
    const cached = wicker(['--help'])
    expect(cached.stdout).toBe(wicker(['--help'], {env: {WICKER_NO_HELP_CACHE: '1'}}).stdout)
    for (const id of ['autocomplete', 'help', 'version']) expect(cached.stdout).toMatch(new RegExp(`^  ${id} `, 'm'))
  })

  it('prints the version line from `version` as from --version, more with --verbose, an envelope with --json', async () => {
    // --version is the bin's own shortcut (a process); the version command runs in process
    const line = wicker(['--version']).stdout
    const version = await wickerIn(['version'])
    expect(version.code).toBe(0)
    expect(version.stdout).toBe(line)
    const verbose = await wickerIn(['version', '--verbose'])
    expect(verbose.stdout).toContain(line.trim())
    expect(verbose.stdout).toMatch(/Plugins: .*@oclif\/plugin-autocomplete/)
    const json = await wickerIn(['version', '--json'])
    expect(json.code).toBe(0)
    expect(json.json).toMatchObject({status: 0, result: {cliVersion: line.split(' ')[0], nodeVersion: `node-${process.version}`}})
  })

  it('suggests the command meant, without prompting when there is no terminal, and exits 2', () => {
    const typo = noTerminal(['valdate', SAMPLE])
    expect(typo.signal).toBeNull() // no prompt waiting for an answer
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('valdate is not a wicker command. Did you mean validate?')
    expect(typo.stderr).not.toMatch(STACK_TRACE)
    // nothing near enough: no silly suggestion
    const far = noTerminal(['xyzzy'])
    expect(far.code).toBe(2)
    expect(far.stderr).toContain('xyzzy is not a wicker command')
    expect(far.stderr).not.toContain('Did you mean')
  })

  it('suggests the flag meant', async () => {
    const r = await wickerIn(['validate', SAMPLE, '--strcit'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Nonexistent flag: --strcit (did you mean --strict?)')
  })

  it('writes a bash completion that completes every command and a command\'s flags', () => {
    const cache = tempDir()
    const env = {XDG_CACHE_HOME: cache}
    const setup = wicker(['autocomplete', 'bash'], {env})
    expect(setup.code).toBe(0)
    expect(setup.stdout).toContain('wicker autocomplete script bash')
    const script = join(cache, 'wicker/autocomplete/functions/bash/wicker.bash')
    const complete = (...words: string[]) => {
      const program = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _wicker_autocomplete; printf '%s\\n' "\${COMPREPLY[@]}"`
      const r = spawnSync('bash', ['-c', program, 'complete', script, 'wicker', ...words], {encoding: 'utf8'})
      expect(r.status, r.stderr).toBe(0)
      return r.stdout.split('\n').filter(Boolean)
    }
    // the first word: a command, or a topic (serve) that holds commands
    const commands = [...new Set([...Object.keys(manifest.commands).map((id) => id.split(':')[0]!), 'autocomplete'])]
    // (oclif's bash script offers a topic once per command in it: serve three times)
    expect([...new Set(complete(''))].sort()).toEqual(commands.sort())
    expect(complete('serve', 'token', '')).toEqual(['create', 'list', 'revoke'])
    expect(complete('va')).toEqual(['validate'])
    expect(complete('pr')).toEqual(['prepare-segments', 'preview'])
    expect(complete('validate', '--st')).toEqual(['--strict'])
    // zsh gets the same commands
    const zsh = readFileSync(join(cache, 'wicker/autocomplete/functions/zsh/_wicker'), 'utf8')
    for (const id of commands) expect(zsh).toContain(`"${id}[`)
  })

  it('colours through a pipe with --color, and not with --no-color, NO_COLOR or by default', () => {
    const run = (args: string[], env: Record<string, string | undefined>) => wicker(['validate', SAMPLE, ...args], {env: {NO_COLOR: undefined, FORCE_COLOR: undefined, ...env}})
    const forced = run(['--color'], {NO_COLOR: '1'})
    expect(forced.code).toBe(0)
    expect(forced.stdout).toMatch(ANSI)
    expect(run([], {}).stdout).not.toMatch(ANSI)
    expect(run([], {NO_COLOR: '1', FORCE_COLOR: '1'}).stdout).not.toMatch(ANSI)
    expect(run(['--no-color'], {FORCE_COLOR: '1'}).stdout).not.toMatch(ANSI)
    expect(run([], {FORCE_COLOR: '1'}).stdout).toMatch(ANSI)
  })
})
