import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'

import {githubWorkflowBody, type GithubWorkflowOptions} from '../../../src/core/ci/github.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

/**
 * The workflow's `run:` steps are bash scripts: each one is run here as GitHub runs it
 * (`shell: bash` is `bash --noprofile --norc -eo pipefail`), with stand-ins for wicker, gh and the
 * runner's files ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, $RUNNER_TEMP), on a course path a shell
 * would misread if any script used it unquoted.
 */
const COURSE = `courses/it's "plon" $(touch pwned) \`touch pwned2\` *`

const options = (o: Partial<GithubWorkflowOptions> = {}): GithubWorkflowOptions => ({
  coursePath: COURSE,
  shards: 3,
  maxParallel: 3,
  agent: 'builtin',
  secret: null,
  concurrency: 2,
  timeoutMinutes: 60,
  runsOn: ['ubuntu-latest'],
  finish: 'pr',
  wickerVersion: '0.1.0',
  ...o,
})

interface Step {
  name?: string
  run?: string
  env?: Record<string, string>
}

function scriptOf(job: 'prepare' | 'shard' | 'gather', name: string, o: Partial<GithubWorkflowOptions> = {}, shard = 2): string {
  const w = parse(githubWorkflowBody(options(o))) as {jobs: Record<string, {steps: Step[]}>}
  const step = w.jobs[job]!.steps.find((s) => s.name?.startsWith(name))
  expect(step?.run, `${job}: a run step "${name}…"`).toBeDefined()
  // the only expression left in a script is the matrix index, an integer wicker put there
  return step!.run!.replaceAll('${{ matrix.shard }}', String(shard))
}

/** A step's own `env:`, with the two expressions it may hold as GitHub fills them in. */
function envOf(job: 'prepare' | 'shard' | 'gather', name: string, shard: number): Record<string, string> {
  const w = parse(githubWorkflowBody(options())) as {jobs: Record<string, {steps: Step[]}>}
  const env = w.jobs[job]!.steps.find((s) => s.name?.startsWith(name))?.env ?? {}
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replaceAll('${{ matrix.shard }}', String(shard)).replaceAll('${{ github.token }}', 'not-a-token')]))
}

/** A stand-in program on PATH: a bash script. */
function stub(bin: string, name: string, body: string): void {
  mkdirSync(bin, {recursive: true})
  writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`)
  chmodSync(join(bin, name), 0o755)
}

interface Scene {
  work: string
  temp: string
  bin: string
  calls: string
  env: Record<string, string> & {HOME: string; GITHUB_OUTPUT: string; GITHUB_STEP_SUMMARY: string}
}

function scene(): Scene {
  const root = tempDir('wicker-gh-steps-')
  const work = join(root, 'work')
  const temp = join(root, 'runner-temp')
  const bin = join(root, 'bin')
  mkdirSync(join(work, COURSE), {recursive: true})
  mkdirSync(temp, {recursive: true})
  const calls = join(root, 'calls')
  writeFileSync(calls, '')
  writeFileSync(join(root, 'summary.md'), '')
  writeFileSync(join(root, 'output'), '')
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: root,
    COURSE,
    SHARDS: '3',
    RUN: 'gh-4242',
    SHARD_ID: '2-of-3',
    RUNNER_TEMP: temp,
    GITHUB_OUTPUT: join(root, 'output'),
    GITHUB_STEP_SUMMARY: join(root, 'summary.md'),
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'vesk/tlon',
    GITHUB_RUN_ID: '4242',
    CALLS: calls,
  }
  return {work, temp, bin, calls, env}
}

/** Each argument on its own line, NUL-free: what the stand-in was called with. */
const RECORD = 'printf "%s\\n" "$(basename "$0")" "$@" "--" >> "$CALLS"'

function runStep(s: Scene, script: string, env: Record<string, string> = {}) {
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {cwd: s.work, env: {...s.env, ...env}, encoding: 'utf8'})
  return {code: r.status, out: r.stdout + r.stderr, output: readFileSync(s.env.GITHUB_OUTPUT, 'utf8'), summary: readFileSync(s.env.GITHUB_STEP_SUMMARY, 'utf8'), calls: readFileSync(s.calls, 'utf8')}
}

const nothingInjected = (s: Scene) => {
  expect(existsSync(join(s.work, 'pwned'))).toBe(false)
  expect(existsSync(join(s.work, 'pwned2'))).toBe(false)
}

describe('every run step is bash that parses', () => {
  it.each(['pr', 'review'] as const)('finish %s: bash -n accepts every script', (finish) => {
    const w = parse(githubWorkflowBody(options({finish, agent: 'claude'}))) as {jobs: Record<string, {steps: Step[]}>}
    const scripts = Object.values(w.jobs).flatMap((j) => j.steps.flatMap((st) => (st.run ? [st.run] : [])))
    expect(scripts.length).toBeGreaterThanOrEqual(9)
    for (const script of scripts) {
      expect(script.replaceAll('${{ matrix.shard }}', '1')).not.toContain('${{')
      expect(() => execFileSync('bash', ['-n', '-c', script.replaceAll('${{ matrix.shard }}', '1')], {stdio: 'pipe'})).not.toThrow()
    }
  })
})

describe('the prepare step', () => {
  it('prepares the run by name, outputs it, and copies the run folder out of the course for the upload', () => {
    const s = scene()
    stub(s.bin, 'wicker', `${RECORD}
mkdir -p "$2/.wicker/runs/$4/packets"; echo '{"plan": 1}' > "$2/.wicker/runs/$4/plan.json"; echo '{}' > "$2/.wicker/runs/$4/packets/p1.json"
echo '{"status": 0, "result": {"run": "'"$4"'", "totals": {"packets": 2}}, "warnings": []}'`)
    const r = runStep(s, scriptOf('prepare', 'Split'))
    expect(r.code, r.out).toBe(0)
    expect(r.calls.split('\n')).toEqual(['wicker', 'prepare-segments', COURSE, '--run', 'gh-4242', '--shards', '3', '--json', '--', ''])
    expect(r.output).toBe('run=gh-4242\npackets=2\n')
    expect(readFileSync(join(s.temp, 'wicker-run', 'plan.json'), 'utf8')).toBe('{"plan": 1}\n')
    expect(existsSync(join(s.temp, 'wicker-run', 'packets', 'p1.json'))).toBe(true)
    nothingInjected(s)
  })

  it('with no packet to write, says so and copies nothing (the later jobs are skipped on packets=0)', () => {
    const s = scene()
    stub(s.bin, 'wicker', `echo '{"status": 0, "result": {"run": "'"$4"'", "totals": {"packets": 0}}, "warnings": []}'`)
    const r = runStep(s, scriptOf('prepare', 'Split'))
    expect(r.code, r.out).toBe(0)
    expect(r.output).toBe('run=gh-4242\npackets=0\n')
    expect(r.out).toContain('::notice::Nothing to do')
    expect(existsSync(join(s.temp, 'wicker-run'))).toBe(false)
  })

  it('fails when prepare-segments fails', () => {
    const s = scene()
    stub(s.bin, 'wicker', 'echo "error no course" >&2; exit 2')
    expect(runStep(s, scriptOf('prepare', 'Split')).code).toBe(2)
  })
})

describe('a shard job, first run and re-run', () => {
  it('puts the run in the course, launches shard i/n into its own staging, and keeps the ledger beside the outputs', () => {
    const s = scene()
    writeTree(s.temp, {'wicker-run/plan.json': '{"plan": 1}\n'})
    // the first attempt: no earlier artifact
    expect(runStep(s, scriptOf('shard', 'Put the run')).code).toBe(0)
    expect(readFileSync(join(s.work, COURSE, '.wicker/runs/gh-4242/plan.json'), 'utf8')).toBe('{"plan": 1}\n')
    stub(s.bin, 'wicker', `${RECORD}
shard_dir="$2/.wicker/runs/$4/shards/2-of-3"; mkdir -p "$shard_dir"; echo '{"packet": "p1"}' >> "$shard_dir/ledger.ndjson"
echo '{"lockId": "k1"}' > "$shard_dir/lock"; echo k1 > "$shard_dir/lock.k1"
echo '{"baskets": 1}' > "\${12}/gh-4242__p1__1__shard-2-of-3.json"
exit 1`)
    const launch = runStep(s, scriptOf('shard', 'Launch', {}, 2))
    expect(launch.code, 'launch exit 1 (some packets failed) fails the job').toBe(1)
    expect(launch.calls.split('\n')).toEqual(['wicker', 'launch', COURSE, '--run', 'gh-4242', '--shard', '2/3', '--agent', 'builtin', '--concurrency', '2', '--staging', join(s.temp, 'wicker-shard/staging'), '--', ''])
    expect(runStep(s, scriptOf('shard', 'Keep the shard')).code).toBe(0)
    expect(readFileSync(join(s.temp, 'wicker-shard/ledger/ledger.ndjson'), 'utf8')).toBe('{"packet": "p1"}\n')
    // a lock a killed launch left is this machine's: it never travels to the runner of a re-run
    expect(readdirSync(join(s.temp, 'wicker-shard/ledger')).filter((f) => f.startsWith('lock'))).toEqual([])
    expect(existsSync(join(s.temp, 'wicker-shard/staging/gh-4242__p1__1__shard-2-of-3.json'))).toBe(true)
    nothingInjected(s)

    // "Re-run failed jobs": a fresh machine, with the shard's artifact downloaded where it was uploaded from
    const again = scene()
    // (an artifact of an older workflow may still hold a lock: it is dropped on the way in too)
    writeTree(again.temp, {'wicker-run/plan.json': '{"plan": 1}\n', 'wicker-shard/ledger/ledger.ndjson': '{"packet": "p1"}\n', 'wicker-shard/ledger/lock': '{}\n', 'wicker-shard/staging/gh-4242__p1__1__shard-2-of-3.json': '{"baskets": 1}\n'})
    expect(runStep(again, scriptOf('shard', 'Put the run')).code).toBe(0)
    expect(existsSync(join(again.work, COURSE, '.wicker/runs/gh-4242/shards/2-of-3/lock'))).toBe(false)
    expect(readFileSync(join(again.work, COURSE, '.wicker/runs/gh-4242/shards/2-of-3/ledger.ndjson'), 'utf8')).toBe('{"packet": "p1"}\n')
    // launch sees the earlier output in the staging folder it is given, so it skips that packet
    stub(again.bin, 'wicker', `${RECORD}\nls "\${12}" >> "$CALLS"`)
    const resumed = runStep(again, scriptOf('shard', 'Launch', {}, 2))
    expect(resumed.code).toBe(0)
    expect(resumed.calls).toContain('gh-4242__p1__1__shard-2-of-3.json')
  })
})

describe('a shard job looks for its earlier artifact before fetching it', () => {
  const LOOK = 'Look for this shard'
  /** gh as in a workflow: it needs GH_TOKEN; `api` prints what its --jq filter would, one name a line */
  const gh = (names: string[], before = '') => `${RECORD}\n${before}\n[ -n "\${GH_TOKEN:-}" ] || { echo 'gh: set the GH_TOKEN environment variable' >&2; exit 4; }\n${names.length === 0 ? 'true' : `printf '%s\\n' ${names.map((n) => JSON.stringify(n)).join(' ')}`}`

  it('finds wicker-shard-<i> in the run\'s artifacts, listed through the REST API of this run', () => {
    const s = scene()
    stub(s.bin, 'gh', gh(['wicker-run', 'wicker-shard-1', 'wicker-shard-2', 'wicker-shard-3']))
    const r = runStep(s, scriptOf('shard', LOOK, {}, 2), envOf('shard', LOOK, 2))
    expect(r.code, r.out).toBe(0)
    expect(r.output).toBe('found=true\n')
    expect(r.calls.split('\n')).toEqual(['gh', 'api', '--paginate', 'repos/vesk/tlon/actions/runs/4242/artifacts?per_page=100', '--jq', '.artifacts[] | select(.expired | not) | .name', '--', ''])
  })

  it.each([
    ['no artifact at all (a first attempt before prepare\'s upload shows)', 1, []],
    ['only the prepared run and other shards', 1, ['wicker-run', 'wicker-shard-2', 'wicker-shard-3']],
    ['only names that start or end like it', 1, ['wicker-shard-12', 'wicker-shard-10', 'old-wicker-shard-1', 'wicker-shard-1 ', 'wicker-shard-']],
    ['shard 2 among names holding "wicker-shard-2"', 2, ['wicker-shard-20', 'wicker-shard-21', 'xwicker-shard-2']],
  ] as Array<[string, number, string[]]>)('%s: found=false, and the step succeeds', (_what, shard, names) => {
    const s = scene()
    stub(s.bin, 'gh', gh(names))
    const r = runStep(s, scriptOf('shard', LOOK, {}, shard), envOf('shard', LOOK, shard))
    expect(r.code, r.out).toBe(0)
    expect(r.output).toBe('found=false\n')
    expect(r.out).toContain(`No wicker-shard-${shard} yet`)
  })

  it.each([
    ['the API fails (exit 1)', 'echo "HTTP 502: Bad Gateway" >&2; exit 1', {}],
    ['gh has no token', '', {GH_TOKEN: ''}],
  ])('%s: the step fails and says nothing was found or not, so the shard never starts over', (_what, body, env) => {
    const s = scene()
    stub(s.bin, 'gh', gh(['wicker-shard-1', 'wicker-shard-2'], body))
    const r = runStep(s, scriptOf('shard', LOOK, {}, 2), {...envOf('shard', LOOK, 2), ...env})
    expect(r.code).not.toBe(0)
    expect(r.output).toBe('')
  })

  it.skipIf(spawnSync('jq', ['--version']).status !== 0)('its --jq filter, run by jq over a page of the REST answer: an expired artifact does not count', () => {
    const s = scene()
    const page = (artifacts: Array<[string, boolean]>) => JSON.stringify({total_count: artifacts.length, artifacts: artifacts.map(([name, expired], i) => ({id: 900 + i, name, expired, size_in_bytes: 120}))})
    // gh api … --jq F: the answer filtered by F, strings printed raw (jq -r)
    const ghJq = (answer: string) => `[ "$4" = --jq ] || exit 9\nprintf '%s' ${JSON.stringify(answer)} | jq -r "$5"`
    stub(s.bin, 'gh', ghJq(page([['wicker-run', false], ['wicker-shard-2', true], ['wicker-shard-3', false]])))
    const expired = runStep(s, scriptOf('shard', LOOK, {}, 2), envOf('shard', LOOK, 2))
    expect(expired.code, expired.out).toBe(0)
    expect(expired.output).toBe('found=false\n')
    const fresh = scene()
    stub(fresh.bin, 'gh', ghJq(page([['wicker-run', false], ['wicker-shard-2', false]])))
    const found = runStep(fresh, scriptOf('shard', LOOK, {}, 2), envOf('shard', LOOK, 2))
    expect(found.code, found.out).toBe(0)
    expect(found.output).toBe('found=true\n')
  })
})

describe('the gather job', () => {
  function downloaded(s: Scene) {
    writeTree(s.temp, {
      'wicker-run/plan.json': '{"plan": 1}\n',
      'wicker-shards/wicker-shard-1/staging/gh-4242__p1__1__shard-1-of-3.json': '{}\n',
      'wicker-shards/wicker-shard-1/ledger/ledger.ndjson': '{"shard": 1}\n',
      'wicker-shards/wicker-shard-3/staging/gh-4242__p3__2__shard-3-of-3.json': '{}\n',
      // shard 2 failed before writing anything: its artifact holds an empty folder, or nothing
      'wicker-shards/wicker-shard-2/ledger/ledger.ndjson': '{"shard": 2}\n',
    })
  }

  it('collects from every downloaded shard\'s staging and puts each ledger back under its shard', () => {
    const s = scene()
    downloaded(s)
    stub(s.bin, 'wicker', RECORD)
    const r = runStep(s, scriptOf('gather', 'Collect'))
    expect(r.code, r.out).toBe(0)
    expect(r.calls.split('\n')).toEqual(['wicker', 'collect', COURSE, '--from', join(s.temp, 'wicker-shards/wicker-shard-1/staging'), '--from', join(s.temp, 'wicker-shards/wicker-shard-3/staging'), '--', ''])
    expect(readFileSync(join(s.work, COURSE, '.wicker/runs/gh-4242/shards/2-of-3/ledger.ndjson'), 'utf8')).toBe('{"shard": 2}\n')
    expect(readFileSync(join(s.work, COURSE, '.wicker/runs/gh-4242/plan.json'), 'utf8')).toBe('{"plan": 1}\n')
    nothingInjected(s)
  })

  it('with no shard output at all, warns instead of calling collect with nothing', () => {
    const s = scene()
    writeTree(s.temp, {'wicker-run/plan.json': '{}\n'})
    stub(s.bin, 'wicker', RECORD)
    const r = runStep(s, scriptOf('gather', 'Collect'))
    expect(r.code).toBe(0)
    expect(r.out).toContain('::warning::No shard uploaded any output.')
    expect(r.calls).toBe('')
  })

  it('status --require-complete failing stops the job, with its report in the summary', () => {
    const s = scene()
    stub(s.bin, 'wicker', `${RECORD}\necho "packet p2 (shard 2 of 3): missing"; exit 1`)
    const r = runStep(s, scriptOf('gather', 'Check that every packet'))
    expect(r.code).toBe(1)
    expect(r.calls.split('\n').slice(0, 6)).toEqual(['wicker', 'status', COURSE, '--run', 'gh-4242', '--require-complete'])
    expect(r.summary).toContain('packet p2 (shard 2 of 3): missing')
    expect(r.out).toContain('::error::Run gh-4242 is not complete')
  })

  it.each([
    [0, 0, 'changes=false\n'],
    [6, 0, 'changes=true\n'],
    [3, 3, ''],
    [2, 2, ''],
  ])('preview exiting %i: the step exits %i and outputs %j (6 is not a failure under bash -e)', (previewExit, stepExit, output) => {
    const s = scene()
    stub(s.bin, 'wicker', `${RECORD}\necho "new: 12 baskets"; exit ${previewExit}`)
    const r = runStep(s, scriptOf('gather', 'Preview'))
    expect(r.code).toBe(stepExit)
    expect(r.output).toBe(output)
    expect(r.calls.split('\n').slice(0, 4)).toEqual(['wicker', 'preview', COURSE, '--detailed-exitcode'])
    expect(r.summary).toContain('new: 12 baskets')
  })

  it('review: keeps the collected staging for a person, and says how to merge it', () => {
    const s = scene()
    writeTree(join(s.work, COURSE), {'phase5_baskets_staging/gh-4242__p1__1__shard-1-of-3.json': '{}\n', 'phase5_baskets_staging/.gh-4242__p1__1__shard-1-of-3.json.provenance.json': '{}\n'})
    const r = runStep(s, scriptOf('gather', 'Keep the collected staging', {finish: 'review'}))
    expect(r.code, r.out).toBe(0)
    expect(existsSync(join(s.temp, 'wicker-collected/gh-4242__p1__1__shard-1-of-3.json'))).toBe(true)
    expect(existsSync(join(s.temp, 'wicker-collected/.gh-4242__p1__1__shard-1-of-3.json.provenance.json'))).toBe(true)
    expect(r.summary).toContain(`wicker collect "${COURSE}" --from <its folder>`)
    nothingInjected(s)
  })

  it('pr: merges, pushes only canon on branch wicker/<run>, opens the pull request with the preview; a second attempt refuses the existing branch', () => {
    const s = scene()
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, {cwd, encoding: 'utf8', env: {...process.env, GIT_AUTHOR_NAME: 'Orm Plesk', GIT_AUTHOR_EMAIL: 'orm@example.invalid', GIT_COMMITTER_NAME: 'Orm Plesk', GIT_COMMITTER_EMAIL: 'orm@example.invalid'}})
    const origin = join(s.env.HOME, 'origin.git')
    git(s.env.HOME, 'init', '-q', '--bare', '-b', 'main', origin)
    git(s.work, 'init', '-q', '-b', 'main')
    writeTree(join(s.work, COURSE), {'lego_baskets.json': '{"baskets": {}}\n', 'lego_pairs.json': '{}\n'})
    // a course the path's "*" would match as a glob: its canon must stay out
    const sibling = COURSE.replace(/\*$/, 'zz')
    writeTree(join(s.work, sibling), {'lego_baskets.json': '{"baskets": {}}\n'})
    git(s.work, 'add', '-A')
    git(s.work, 'commit', '-q', '-m', 'a course')
    git(s.work, 'remote', 'add', 'origin', origin)
    git(s.work, 'push', '-q', 'origin', 'main')
    writeFileSync(join(s.temp, 'preview.txt'), 'new: 3 baskets (S0001L01, S0001L02, S0002L01)\n')
    // merge changes canon and moves staging files to .applied/: only canon may go into the pull request
    stub(s.bin, 'wicker', `${RECORD}\necho '{"baskets": {"S0001L01": []}}' > "$2/lego_baskets.json"; mkdir -p "$2/phase5_baskets_staging/.applied"; echo '{}' > "$2/phase5_baskets_staging/.applied/x.json"; echo '{"other": 1}' > "${sibling.replaceAll('`', '\\`').replaceAll('$', '\\$').replaceAll('"', '\\"')}/lego_baskets.json"`)
    stub(s.bin, 'gh', `${RECORD}\nwhile [ $# -gt 0 ]; do if [ "$1" = --body-file ]; then cp "$2" "$CALLS.body"; fi; shift; done`)
    const env = {BASE: 'main', GH_TOKEN: 'not-a-token'}
    const r = runStep(s, scriptOf('gather', 'Merge and open'), env)
    expect(r.code, r.out).toBe(0)
    expect(r.calls).toContain(['wicker', 'merge', COURSE, '--yes', '--'].join('\n'))
    expect(r.calls).toContain(['gh', 'pr', 'create', '--base', 'main', '--head', 'wicker/gh-4242', '--title', 'wicker: baskets of run gh-4242', '--body-file'].join('\n'))
    expect(readFileSync(`${s.calls}.body`, 'utf8')).toContain('new: 3 baskets (S0001L01, S0001L02, S0002L01)')
    expect(git(origin, 'diff', '--name-only', '-z', 'main', 'wicker/gh-4242')).toBe(`${COURSE}/lego_baskets.json\0`)
    expect(readFileSync(join(s.work, sibling, 'lego_baskets.json'), 'utf8')).toBe('{"other": 1}\n')
    expect(git(origin, 'show', 'wicker/gh-4242:' + `${COURSE}/lego_baskets.json`)).toBe('{"baskets": {"S0001L01": []}}\n')
    nothingInjected(s)

    // the same gather job again (a re-run after the push): it refuses to push over the branch
    git(s.work, 'checkout', '-q', 'main')
    const twice = runStep(s, scriptOf('gather', 'Merge and open'), env)
    expect(twice.code).toBe(1)
    expect(twice.out).toContain('::error::Branch wicker/gh-4242 already exists')
  })
})
