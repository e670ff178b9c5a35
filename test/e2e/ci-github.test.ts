import {execFileSync} from 'node:child_process'
import {chmodSync, cpSync, existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {BIN, STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {canonBytes} from '../helpers/flow.js'
import {tempDir, writeTree} from '../helpers/fs.js'
import {LocalRunner} from '../helpers/github-runner.js'
import {workflowErrors} from '../helpers/github-workflow.js'
import {schemaErrors} from '../helpers/json-schemas.js'

/** A git repository holding one course (only lego_pairs.json is needed to find it), under a path with a space and a quote. */
function repo() {
  const root = tempDir('wicker-ci-gh-')
  execFileSync('git', ['init', '-q', root])
  const course = join(root, 'courses', "vesk o'tlon")
  writeTree(course, {'lego_pairs.json': {seeds: []}, 'lego_baskets.json': {baskets: {}}})
  return {root, course, workflow: join(root, '.github', 'workflows', 'wicker.yml')}
}

const backups = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.bak'))

/** A repository holding a copy of the course at `coursePath`, with an empty bare origin beside it. */
function repoWith(course: string, coursePath: string, prefix: string) {
  const top = tempDir(prefix)
  const src = join(top, 'src')
  const origin = join(top, 'origin.git')
  cpSync(course, join(src, coursePath), {recursive: true})
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, {cwd, encoding: 'utf8', env: {...process.env, GIT_AUTHOR_NAME: 'Orm Plesk', GIT_AUTHOR_EMAIL: 'orm@example.invalid', GIT_COMMITTER_NAME: 'Orm Plesk', GIT_COMMITTER_EMAIL: 'orm@example.invalid'}})
  git(top, 'init', '-q', '--bare', '-b', 'main', origin)
  git(src, 'init', '-q', '-b', 'main')
  return {top, src, origin, git}
}

describe('wicker ci github, the built CLI', () => {
  it('writes the workflow at the repository root, leaves it unchanged the second time, refuses an edited one, and --force replaces it keeping a .bak', async () => {
    const {root, course, workflow} = repo()
    // run from inside the course: the workflow still goes to the repository root
    const first = await wickerIn(['ci', 'github', '.', '--shards', '3', '--agent', 'claude'], {cwd: course})
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/^created +.*\.github\/workflows\/wicker\.yml$/m)
    expect(first.stderr).toContain('Add the repository secret ANTHROPIC_API_KEY')
    const text = readFileSync(workflow, 'utf8')
    expect(text.split('\n')[0]).toMatch(/^# wicker ci github sha256:[0-9a-f]{64}$/)
    expect(await workflowErrors(text)).toEqual([])
    const parsed = parse(text)
    expect(parsed.env.COURSE).toBe("courses/vesk o'tlon")
    expect(parsed.jobs.shard.strategy.matrix.shard).toEqual([1, 2, 3])

    const second = await wickerIn(['ci', 'github', course, '--shards', '3', '--agent', 'claude'], {cwd: root})
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toMatch(/^unchanged .*wicker\.yml$/m)
    expect(readFileSync(workflow, 'utf8')).toBe(text)
    expect(backups(join(root, '.github', 'workflows'))).toEqual([])

    const edited = text.replace('max-parallel: 3', 'max-parallel: 2  # ours: the runner budget')
    expect(edited).not.toBe(text)
    writeFileSync(workflow, edited)
    const refused = await wickerIn(['ci', 'github', course, '--shards', '3', '--agent', 'claude'], {cwd: root})
    expect(refused.code).toBe(3)
    expect(refused.stderr).toContain('was changed since wicker wrote it')
    expect(refused.stderr).toMatch(/hint .*--force/)
    expect(refused.stderr).not.toMatch(STACK_TRACE)
    expect(readFileSync(workflow, 'utf8')).toBe(edited)

    const forced = await wickerIn(['ci', 'github', course, '--shards', '3', '--agent', 'claude', '--force', '--json'], {cwd: root})
    expect(forced.code, forced.stderr).toBe(0)
    expect(schemaErrors('result/ci-github.json', forced.json.result)).toEqual([])
    expect(schemaErrors('envelope/ci-github.json', forced.json)).toEqual([])
    const [file] = forced.json.result.files
    expect(file.action).toBe('replaced')
    expect(file.backup).toMatch(/wicker\.yml\.\d{8}T\d{6}Z\.bak$/)
    expect(readFileSync(file.backup, 'utf8'), 'the edited bytes, kept').toBe(edited)
    expect(readFileSync(workflow, 'utf8')).toBe(text)
    expect(backups(join(root, '.github', 'workflows'))).toHaveLength(1)
  })

  it('--json: the result names the course, the root, the file and the workflow\'s settings', async () => {
    const {root, course, workflow} = repo()
    const run = await wickerIn(['ci', 'github', course, '--agent', 'gemini', '--secret', 'TEAM_GEMINI', '--finish', 'review', '--max-parallel', '2', '-j', '6', '--runs-on', 'self-hosted', '--runs-on', 'gpu', '--timeout-minutes', '900', '--json'], {cwd: root})
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    expect(schemaErrors('result/ci-github.json', run.json.result)).toEqual([])
    expect(run.json.result).toMatchObject({
      root: expect.stringMatching(/wicker-ci-gh-/),
      git: true,
      workflow: {file: expect.stringMatching(/\.github\/workflows\/wicker\.yml$/), coursePath: "courses/vesk o'tlon", shards: 4, maxParallel: 2, agent: 'gemini', secret: 'TEAM_GEMINI', concurrency: 6, timeoutMinutes: 900, runsOn: ['self-hosted', 'gpu'], finish: 'review'},
      files: [{action: 'created', backup: null}],
    })
    expect(run.json.result.next.join('\n')).toContain('gh secret set TEAM_GEMINI')
    expect(run.json.warnings).toEqual([])
    const parsed = parse(readFileSync(workflow, 'utf8'))
    expect(parsed.jobs.shard['runs-on']).toEqual(['self-hosted', 'gpu'])
    expect(parsed.jobs.shard.steps.find((s: {name: string}) => s.name.startsWith('Launch')).env).toEqual({GEMINI_API_KEY: '${{ secrets.TEAM_GEMINI }}'})
    // more than a hosted runner allows, or more at once than there are shards: said, not refused
    const hosted = await wickerIn(['ci', 'github', course, '--shards', '2', '--max-parallel', '5', '--timeout-minutes', '900', '--force', '--json'], {cwd: root})
    expect(hosted.code, hosted.stderr).toBe(0)
    expect(hosted.json.warnings.join('\n')).toMatch(/--max-parallel 5 is more than the 2 shard job\(s\)/)
    expect(hosted.json.warnings.join('\n')).toMatch(/GitHub-hosted runners stop a job after 360 minutes/)
  })

  it('an unedited workflow written with other settings is updated, keeping the old one as a .bak; --out writes elsewhere', async () => {
    const {root, course, workflow} = repo()
    expect((await wickerIn(['ci', 'github', course], {cwd: root})).code).toBe(0)
    const before = readFileSync(workflow, 'utf8')
    const again = await wickerIn(['ci', 'github', course, '--shards', '8', '--json'], {cwd: root})
    expect(again.json.result.files[0]).toMatchObject({action: 'updated'})
    expect(readFileSync(again.json.result.files[0].backup, 'utf8')).toBe(before)
    expect(parse(readFileSync(workflow, 'utf8')).jobs.shard.strategy.matrix.shard).toHaveLength(8)

    const out = await wickerIn(['ci', 'github', course, '--out', 'ci/other.yml', '--json'], {cwd: root})
    expect(out.code, out.stderr).toBe(0)
    expect(existsSync(join(root, 'ci', 'other.yml'))).toBe(true)
    expect(out.json.result.next.join('\n')).toContain('GitHub runs only workflows in .github/workflows/')
  })

  it('without a git repository, the current folder is the root; a course outside it is refused', async () => {
    const top = tempDir('wicker-ci-gh-nogit-')
    writeTree(top, {'c/spa/lego_pairs.json': {seeds: []}})
    const here = await wickerIn(['ci', 'github', 'c/spa', '--json'], {cwd: top})
    expect(here.code, here.stderr).toBe(0)
    expect(here.json.result).toMatchObject({git: false, workflow: {coursePath: 'c/spa'}})
    expect(existsSync(join(top, '.github', 'workflows', 'wicker.yml'))).toBe(true)
    const elsewhere = tempDir('wicker-ci-gh-elsewhere-')
    const outside = await wickerIn(['ci', 'github', join(top, 'c/spa')], {cwd: elsewhere})
    expect(outside.code).toBe(2)
    expect(outside.stderr).toContain('in no git repository and not inside the current folder')
  })

  it.each([
    // oclif's parse errors: the hint names the command as it is typed (a space, not ci:github)
    [['--shards', '0'], /--shards 0 is out of range: give an integer from 1 to 256/, /See `wicker ci github --help`/],
    [['--shards', '257'], /--shards 257 is out of range: give an integer from 1 to 256/, /See `wicker ci github --help`/],
    [['--max-parallel', '300'], /--max-parallel 300 is out of range: give an integer from 1 to 256/, /./],
    [['--timeout-minutes', '5000'], /--timeout-minutes 5000 is out of range: give an integer from 1 to 4320/, /./],
    [['--agent', 'command'], /--agent command/, /Pick --agent builtin, claude, codex or gemini/],
    [['--agent', 'robot'], /--agent/, /./],
    [['--secret', 'KEY'], /--secret KEY/, /Leave --secret out/],
    [['--agent', 'claude', '--secret', 'GITHUB_TOKEN'], /--secret/, /GITHUB_/],
    [['--finish', 'merge'], /--finish/, /./],
  ])('%j: exit 2, naming the flag, no stack trace, nothing written', async (args, message, hint) => {
    const {root, course, workflow} = repo()
    const run = await wickerIn(['ci', 'github', course, ...args], {cwd: root})
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(run.stderr.split('\n').find((l) => l.startsWith('hint'))).toMatch(hint)
    expect(run.stderr).not.toMatch(STACK_TRACE)
    expect(existsSync(workflow)).toBe(false)
    const json = await wickerIn(['ci', 'github', course, ...args, '--json'], {cwd: root})
    expect(json.code).toBe(2)
    expect(json.json.status).toBe(2)
    expect(json.json.message).toMatch(message)
    expect(schemaErrors('envelope/error.json', json.json)).toEqual([])
  })

  it('a course that does not exist: exit 2, naming it, no stack trace', async () => {
    const {root} = repo()
    const run = await wickerIn(['ci', 'github', 'courses/nowhere'], {cwd: root})
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('No course "courses/nowhere"')
    expect(run.stderr).not.toMatch(STACK_TRACE)
    expect(existsSync(join(root, '.github'))).toBe(false)
  })

  it('a symbolic link where the workflow goes is refused, never followed', async () => {
    const {root, course, workflow} = repo()
    const target = join(tempDir('wicker-ci-gh-target-'), 'elsewhere.yml')
    writeFileSync(target, 'theirs\n')
    writeTree(root, {'.github/workflows/.keep': ''})
    execFileSync('ln', ['-s', target, workflow])
    const run = await wickerIn(['ci', 'github', course], {cwd: root})
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('symbolic link')
    expect(readFileSync(target, 'utf8')).toBe('theirs\n')
  })

  it('a .github folder planted as a symbolic link (a cloned repository) is refused: nothing is written where it points', async () => {
    const {root, course} = repo()
    const elsewhere = tempDir('wicker-ci-gh-elsewhere-')
    symlinkSync(elsewhere, join(root, '.github'))
    const run = await wickerIn(['ci', 'github', course], {cwd: root})
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('symlink')
    expect(run.stderr).not.toMatch(STACK_TRACE)
    expect(readdirSync(elsewhere)).toEqual([])
  })
})

describe('the written workflow, run on this machine by a stand-in for GitHub Actions', () => {
  // a whole workflow of real wicker processes, three times over: its own time under load
  it('3 shards with the built-in agent: a failed shard fails the proof, a re-run whose artifact list fails stops before launch and keeps its artifact, "Re-run failed jobs" resumes only its packets, and the pull request carries the canon of one unsharded run', {timeout: 180_000}, async () => {
    const generated = writeCourse(tempDir(), generateCourse({seeds: 30, seed: 41, canon: {fill: 0.2}}))
    const coursePath = 'courses/tlon vesk'
    const RUN = 'gh-4242'

    // the reference: the same course (by the same folder name: it is the course's code) launched on one machine
    const whole = join(tempDir('wicker-ci-gh-whole-'), 'tlon vesk')
    cpSync(generated, whole, {recursive: true})
    expect((await wickerIn(['prepare-segments', whole, '--run', RUN])).code).toBe(0)
    expect((await wickerIn(['launch', whole, '--run', RUN, '--stagger', '0s'])).code).toBe(0)
    expect((await wickerIn(['merge', whole, '--yes'])).code).toBe(0)

    // the repository: the course, and the workflow wicker writes for it, pushed to an origin
    const {top, src, origin, git} = repoWith(generated, coursePath, 'wicker-ci-gh-run-')
    const written = await wickerIn(['ci', 'github', coursePath, '--shards', '3', '--agent', 'builtin'], {cwd: src})
    expect(written.code, written.stderr).toBe(0)
    git(src, 'add', '-A')
    git(src, 'commit', '-q', '-m', 'the course and its workflow')
    git(src, 'remote', 'add', 'origin', origin)
    git(src, 'push', '-q', 'origin', 'main')

    // wicker and gh as a runner would have them; shard 2's first launch meets an agent that fails (auth)
    const bin = join(top, 'bin')
    const failOnce = join(top, 'shard-2-failed-once')
    writeTree(bin, {
      wicker: `#!/usr/bin/env bash
if [ "$1" = launch ] && [[ " $* " == *" --shard 2/3 "* ]] && [ ! -e ${JSON.stringify(failOnce)} ]; then
  touch ${JSON.stringify(failOnce)}
  export WICKER_BUILTIN_FAIL=auth WICKER_BUILTIN_FAIL_RATE=0.5
fi
exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"
`,
      gh: `#!/usr/bin/env bash\nprintf '%s\\n' "$@" > ${JSON.stringify(join(top, 'gh-args'))}\n`,
    })
    chmodSync(join(bin, 'wicker'), 0o755)
    chmodSync(join(bin, 'gh'), 0o755)
    const runner = new LocalRunner(readFileSync(join(src, '.github/workflows/wicker.yml'), 'utf8'), {origin, bin, work: join(top, 'runner'), env: {NO_COLOR: '1'}})
    const step = (job: string, name: string) => runner.jobs.get(job)!.steps.find((s) => s.name.startsWith(name))!
    const artifact = (name: string) => join(top, 'runner', 'artifacts', name)
    const outputsOf = (shard: number) => (existsSync(artifact(`wicker-shard-${shard}/staging`)) ? readdirSync(artifact(`wicker-shard-${shard}/staging`)).filter((f) => f.endsWith('.json')).sort() : [])
    const plan = () => JSON.parse(readFileSync(artifact('wicker-run/plan.json'), 'utf8')) as {shards: number; packets: Array<{id: string; index: number}>}

    runner.run()
    expect(runner.jobs.get('prepare')).toMatchObject({result: 'success', outputs: {run: RUN}})
    expect(plan().shards).toBe(3)
    // the split prepare-segments printed (--json, kept by the prepare step in its runner's temp folder)
    const layout = JSON.parse(readFileSync(join(top, 'runner', 'attempt-1', 'prepare', 'runner-temp', 'prepare.json'), 'utf8')).result.shards as Array<{shard: number; indexes: number[]}>
    const packetsOf = (shard: number) => layout[shard - 1]!.indexes.map((i) => plan().packets.find((p) => p.index === i)!.id).sort()
    expect(packetsOf(2).length).toBeGreaterThanOrEqual(2)
    expect(runner.jobs.get('shard (1)')!.result, step('shard (1)', 'Launch').log).toBe('success')
    expect(runner.jobs.get('shard (3)')!.result).toBe('success')
    expect(runner.jobs.get('shard (2)')!.result).toBe('failure')
    // a first attempt: the run's artifacts hold no shard's yet, so none is fetched
    for (const leg of ['shard (1)', 'shard (2)', 'shard (3)']) {
      expect(step(leg, 'Look for this shard').log).toContain('starts from the beginning')
      expect(step(leg, 'Fetch this shard').outcome).toBe('skipped')
    }
    expect(step('shard (2)', 'Upload').outcome, 'a failed shard still uploads what it did').toBe('success')
    const doneFirst = outputsOf(2).map((f) => f.split('__')[1]!)
    // which packet's agent fails is chosen by hash, so always the same one: one packet of shard 2 done, one not
    expect(doneFirst.length).toBeGreaterThanOrEqual(1)
    expect(doneFirst.length).toBeLessThan(packetsOf(2).length)
    // the proof fails, naming what shard 2 owes; nothing is merged
    const gather = runner.jobs.get('gather')!
    expect(gather.result).toBe('failure')
    expect(step('gather', 'Check that every packet').outcome).toBe('failure')
    expect(step('gather', 'Merge').outcome).toBe('skipped')
    for (const id of packetsOf(2).filter((p) => !doneFirst.includes(p))) expect(gather.summary).toContain(id)
    const othersBefore = [1, 3].map((i) => [outputsOf(i), readFileSync(artifact(`wicker-shard-${i}/ledger/ledger.ndjson`), 'utf8')])
    const ledgerBefore = existsSync(artifact('wicker-shard-2/ledger/ledger.ndjson')) ? readFileSync(artifact('wicker-shard-2/ledger/ledger.ndjson'), 'utf8') : ''

    // a re-run while the artifact list fails: shard 2 stops before launching anything, and its artifact stays as it was
    const keptBefore = [outputsOf(2), ledgerBefore]
    runner.run({rerunFailed: true, listingFails: true})
    expect(step('shard (2)', 'Look for this shard')).toMatchObject({outcome: 'failure', log: expect.stringContaining('HTTP 502')})
    expect(step('shard (2)', 'Launch').outcome).toBe('skipped')
    expect(runner.jobs.get('shard (2)')!.result).toBe('failure')
    expect([outputsOf(2), existsSync(artifact('wicker-shard-2/ledger/ledger.ndjson')) ? readFileSync(artifact('wicker-shard-2/ledger/ledger.ndjson'), 'utf8') : '']).toEqual(keptBefore)
    expect(runner.jobs.get('gather')!.result).toBe('failure')

    runner.run({rerunFailed: true})
    expect(step('shard (2)', 'Look for this shard').log).toContain('resumes from it')
    expect(step('shard (2)', 'Fetch this shard').outcome).toBe('success')
    // only shard 2 and gather ran again; shard 2 started only the packets it had not done
    expect(runner.jobs.get('shard (2)')!.result, step('shard (2)', 'Launch').log).toBe('success')
    expect([1, 3].map((i) => [outputsOf(i), readFileSync(artifact(`wicker-shard-${i}/ledger/ledger.ndjson`), 'utf8')])).toEqual(othersBefore)
    const ledger = readFileSync(artifact('wicker-shard-2/ledger/ledger.ndjson'), 'utf8')
    expect(ledger.startsWith(ledgerBefore), 'the ledger of the first attempt is kept and added to').toBe(true)
    const startedAgain = ledger.slice(ledgerBefore.length).trim().split('\n').map((l) => JSON.parse(l) as {event: string; packet: string}).filter((e) => e.event === 'start').map((e) => e.packet)
    expect(new Set(startedAgain)).toEqual(new Set(packetsOf(2).filter((p) => !doneFirst.includes(p))))
    expect(outputsOf(2).map((f) => f.split('__')[1]).sort()).toEqual(packetsOf(2))

    const again = runner.jobs.get('gather')!
    expect(again.result, again.steps.map((s) => `${s.name}: ${s.outcome}\n${s.log}`).join('\n')).toBe('success')
    expect(step('gather', 'Preview').outcome).toBe('success')
    expect(step('gather', 'Merge').outcome).toBe('success')
    // the pull request: branch wicker/<run> with canon only, byte for byte the unsharded run's canon (but the merge's own time and id)
    const args = readFileSync(join(top, 'gh-args'), 'utf8').split('\n')
    expect(args.slice(0, 6)).toEqual(['pr', 'create', '--base', 'main', '--head', `wicker/${RUN}`])
    expect(git(origin, 'diff', '--name-only', '-z', 'main', `wicker/${RUN}`)).toBe(`${coursePath}/lego_baskets.json\0`)
    const merged = (text: string) => text.replace(/"last_merge": "[^"]+"/, '"last_merge": "…"').replace(/"last_transaction": "[^"]+"/, '"last_transaction": "…"')
    const prCanon = git(origin, 'show', `wicker/${RUN}:${coursePath}/lego_baskets.json`)
    expect(merged(prCanon)).toContain('"last_merge": "…"')
    expect(merged(prCanon) === merged(canonBytes(whole)!.toString('utf8'))).toBe(true)
  })

  it('--finish review: nothing is merged or pushed; the collected outputs are an artifact a person merges with collect, preview and merge', async () => {
    const generated = writeCourse(tempDir(), generateCourse({seeds: 12, seed: 43, canon: {fill: 0.3}}))
    const coursePath = 'plon'
    const {top, src, origin, git} = repoWith(generated, coursePath, 'wicker-ci-gh-review-')
    expect((await wickerIn(['ci', 'github', coursePath, '--shards', '2', '--finish', 'review'], {cwd: src})).code).toBe(0)
    git(src, 'add', '-A')
    git(src, 'commit', '-q', '-m', 'a course and its workflow')
    git(src, 'remote', 'add', 'origin', origin)
    git(src, 'push', '-q', 'origin', 'main')
    const bin = join(top, 'bin')
    writeTree(bin, {wicker: `#!/usr/bin/env bash\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`})
    chmodSync(join(bin, 'wicker'), 0o755)
    const runner = new LocalRunner(readFileSync(join(src, '.github/workflows/wicker.yml'), 'utf8'), {origin, bin, work: join(top, 'runner'), env: {NO_COLOR: '1'}})
    runner.run()
    const gather = runner.jobs.get('gather')!
    expect(gather.result, gather.steps.map((s) => `${s.name}: ${s.outcome}\n${s.log}`).join('\n')).toBe('success')
    expect(gather.steps.map((s) => s.name)).not.toContain('Merge and open a pull request')
    expect(git(origin, 'for-each-ref', '--format=%(refname)', 'refs/heads')).toBe('refs/heads/main\n')
    expect(gather.summary).toContain('### wicker preview')
    expect(gather.summary).toContain(`wicker collect "${coursePath}" --from <its folder>`)

    // the person: a clone, the artifact, then the three commands the summary names
    const mine = join(top, 'mine')
    git(top, 'clone', '-q', origin, mine)
    const before = readFileSync(join(mine, coursePath, 'lego_baskets.json'), 'utf8')
    expect((await wickerIn(['collect', join(mine, coursePath), '--from', join(top, 'runner', 'artifacts', 'wicker-collected')])).code).toBe(0)
    expect((await wickerIn(['preview', join(mine, coursePath), '--detailed-exitcode'])).code).toBe(6)
    expect((await wickerIn(['merge', join(mine, coursePath), '--yes'])).code).toBe(0)
    const after = JSON.parse(readFileSync(join(mine, coursePath, 'lego_baskets.json'), 'utf8')) as {baskets: Record<string, unknown>}
    expect(Object.keys(after.baskets).length).toBeGreaterThan(Object.keys((JSON.parse(before) as {baskets: Record<string, unknown>}).baskets).length)
    expect((await wickerIn(['validate', join(mine, coursePath)])).code).toBe(0)
  })
})
