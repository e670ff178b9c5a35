import {execFileSync} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {flowCourse} from '../helpers/flow.js'
import {tempDir, writeTree} from '../helpers/fs.js'
import {schemaErrors} from '../helpers/json-schemas.js'

const git = (repo: string, ...args: string[]) => execFileSync('git', args, {cwd: repo, encoding: 'utf8', env: {...process.env, GIT_AUTHOR_NAME: 'Vusk Tarro', GIT_AUTHOR_EMAIL: 'vusk@example.invalid', GIT_COMMITTER_NAME: 'Vusk Tarro', GIT_COMMITTER_EMAIL: 'vusk@example.invalid'}})

/** A commit on `branch` (from main) adding `tree`. */
function branch(repo: string, name: string, tree: Record<string, string>, links: Record<string, string> = {}) {
  git(repo, 'checkout', '-q', '-b', name, 'main')
  writeTree(repo, tree)
  for (const [path, target] of Object.entries(links)) symlinkSync(target, join(repo, path))
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', `plorv ${name}`)
  git(repo, 'checkout', '-q', 'main')
}

/** Every ref with its commit, HEAD, the index's bytes and the working tree's status: what collect must leave as it was. */
function repoState(repo: string) {
  return {
    refs: git(repo, 'for-each-ref', '--format=%(refname) %(objectname)'),
    head: git(repo, 'rev-parse', 'HEAD') + git(repo, 'symbolic-ref', 'HEAD'),
    index: readFileSync(join(repo, '.git', 'index')).toString('base64'),
    status: git(repo, 'status', '--porcelain', '--ignored', '--untracked-files=all'),
  }
}

const S = 'phase5_baskets_staging'

function scene() {
  const f = flowCourse({seeds: 20, formats: ['F1', 'F2', 'F4', 'F8', 'F12', 'F1', 'F2']})
  expect(f.files.length).toBeGreaterThanOrEqual(6)
  rmSync(join(f.dir, S), {recursive: true, force: true})
  const [a1, a2, b1, p1, p2, ...rest] = f.files.map((x) => x.content as string)

  const repo = tempDir('wicker-collect-repo-')
  git(repo, 'init', '-q', '-b', 'main')
  writeTree(repo, {'notes.txt': 'zarvel tondo\n'})
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', 'brell')
  branch(repo, 'claude/a', {[`courses/glim/${S}/out.json`]: a1!, [`courses/glim/${S}/two.json`]: a2!, 'src/ignored.json': '{"not": "staging"}\n'})
  // same name as claude/a's out.json with other content (→ a new name); two.json again, identical (→ skipped); a symlink (→ refused)
  branch(repo, 'claude/b', {[`courses/glim/${S}/out.json`]: b1!, [`courses/glim/${S}/again.json`]: a2!}, {[`courses/glim/${S}/sneak.json`]: '/etc/passwd'})
  branch(repo, 'codex/c', {[`courses/glim/${S}/unseen.json`]: '{"never": "collected"}\n'})
  git(repo, 'branch', 'untouched', 'claude/a')

  // a patch adding two staging files and modifying one, made in another repository
  const scratch = tempDir('wicker-collect-patch-')
  git(scratch, 'init', '-q', '-b', 'main')
  writeTree(scratch, {[`courses/glim/${S}/old.json`]: '{"kept": 1}\n'})
  git(scratch, 'add', '-A')
  git(scratch, 'commit', '-q', '-m', 'vent')
  writeTree(scratch, {[`courses/glim/${S}/old.json`]: '{"kept": 2}\n', [`courses/glim/${S}/p1.json`]: p1!, [`courses/glim/${S}/p2.json`]: p2!.replace(/\n$/, '')})
  git(scratch, 'add', '-A')
  git(scratch, 'commit', '-q', '-m', 'quisp')
  const patch = join(tempDir(), 'agent.patch')
  writeFileSync(patch, git(scratch, 'format-patch', '--stdout', 'HEAD~1'))

  // a downloaded artifact: good files, a symlink, a name that is not UTF-8, a name with a newline, a FIFO
  const artifact = tempDir('wicker-collect-artifact-')
  rest.forEach((content, i) => writeTree(artifact, {[`shard-${i}/out.json`]: content}))
  symlinkSync('/etc/passwd', join(artifact, 'link.json'))
  writeFileSync(Buffer.from(join(artifact, 'bad-\xff.json'), 'latin1'), '{}')
  writeFileSync(join(artifact, 'two\nlines.json'), '{}')
  execFileSync('mkfifo', [join(artifact, 'pipe.json')]) // opening it would block: it must never be opened
  return {f, repo, patch, artifact, contents: {a1: a1!, a2: a2!, b1: b1!, p1: p1!, p2: p2!.replace(/\n$/, ''), rest}}
}

describe('wicker collect with the built binary', () => {
  it('brings branches, a patch and an artifact into staging once, read-only on the repository, and preview sees every basket', async () => {
    const s = scene()
    const before = repoState(s.repo)
    const args = ['collect', s.f.dir, '--repo', s.repo, '--git-branches', 'claude/*', '--patch', s.patch, '--from', s.artifact, '--json']
    const r = await wickerIn(args)
    expect(r.stderr).not.toMatch(STACK_TRACE)
    expect(r.code).toBe(1) // the hostile entries are findings
    expect(r.json.status).toBe(1)
    expect(schemaErrors('envelope/collect.json', r.json)).toEqual([])
    const by = Object.fromEntries(r.json.result.sources.map((x: {source: string}) => [x.source, x]))
    expect(Object.keys(by)).toEqual(['claude/a', 'claude/b', s.patch, s.artifact])
    expect(by['claude/a']).toMatchObject({kind: 'git', commit: git(s.repo, 'rev-parse', 'claude/a').trim(), found: 2, written: 2, skipped: 0, refused: 0})
    expect(by['claude/b']).toMatchObject({found: 2, written: 1, skipped: 1, refused: 1})
    expect(by['claude/b'].files).toContainEqual({path: `courses/glim/${S}/sneak.json`, action: 'refused', reason: expect.stringContaining('symbolic link'), stagedAs: null})
    expect(by[s.patch]).toMatchObject({kind: 'patch', found: 2, written: 2, ignored: 1, refused: 0})
    expect(by[s.patch].files).toContainEqual({path: `courses/glim/${S}/old.json`, action: 'ignored', reason: expect.stringContaining('modified'), stagedAs: null})
    expect(by[s.artifact]).toMatchObject({kind: 'dir', found: s.contents.rest.length, written: s.contents.rest.length, refused: 4})
    expect(by[s.artifact].files.filter((x: {action: string}) => x.action === 'refused').map((x: {path: string}) => x.path).sort()).toEqual(['bad-\\xff.json', 'link.json', 'pipe.json', 'two\nlines.json'])
    expect(by[s.artifact].files).toContainEqual({path: 'link.json', action: 'refused', reason: expect.stringContaining('symbolic link'), stagedAs: null})

    // byte for byte, never overwriting: b's out.json got its own name; the patch's file without a final newline kept that
    const staging = join(s.f.dir, S)
    const visible = readdirSync(staging).filter((n) => !n.startsWith('.')).sort()
    expect(visible).toHaveLength(5 + s.contents.rest.length)
    const stagedB = by['claude/b'].files.find((x: {action: string}) => x.action === 'written').stagedAs
    expect(stagedB).toMatch(/^out\.[0-9a-f]{12}\.json$/)
    expect(readFileSync(join(staging, 'out.json'), 'utf8')).toBe(s.contents.a1)
    expect(readFileSync(join(staging, stagedB), 'utf8')).toBe(s.contents.b1)
    expect(readFileSync(join(staging, 'p1.json'), 'utf8')).toBe(s.contents.p1)
    expect(readFileSync(join(staging, 'p2.json'), 'utf8')).toBe(s.contents.p2)
    const provenance = JSON.parse(readFileSync(join(staging, `.${stagedB}.provenance.json`), 'utf8'))
    expect(provenance).toMatchObject({kind: 'git', source: 'claude/b', commit: by['claude/b'].commit, repo: s.repo, path: `courses/glim/${S}/out.json`, stagedAs: stagedB})

    // the repository is exactly as it was
    expect(repoState(s.repo)).toEqual(before)

    // preview reads the collected files (not the provenance records): every missing basket is new
    const p = await wickerIn(['preview', s.f.dir, '--json'])
    expect(p.code).toBe(0)
    expect(p.json.result.counts).toMatchObject({new: s.f.baskets.length, invalid: 0, stagingConflict: 0})
    const x = await wickerIn(['extract', s.f.dir, '--json'])
    expect(x.json.result.files).toEqual({total: visible.length, used: visible.length, skipped: 0, bad: 0})

    // again: nothing written, everything skipped
    const again = await wickerIn(args)
    expect(again.json.result.totals).toMatchObject({written: 0, skipped: r.json.result.totals.found})
    expect(readdirSync(staging).sort()).toHaveLength(visible.length * 2)
    expect(repoState(s.repo)).toEqual(before)
  })

  it('refuses a ref that names no commit with exit 2, naming it, and writes nothing', async () => {
    const s = scene()
    const r = await wickerIn(['collect', s.f.dir, '--repo', s.repo, '--git', 'claude/a', '--git', 'claude/nope', '--json'])
    expect(r.code).toBe(2)
    expect(r.json).toMatchObject({status: 2, name: 'E_GIT_REF', message: expect.stringContaining('"claude/nope"')})
    expect(() => readdirSync(join(s.f.dir, S))).toThrow()
    const human = await wickerIn(['collect', s.f.dir, '--repo', s.repo, '--git', 'v9-missing'])
    expect(human.code).toBe(2)
    expect(human.stderr).toContain('v9-missing')
    expect(human.stderr).not.toMatch(STACK_TRACE)
    const noRepo = await wickerIn(['collect', s.f.dir, '--repo', join(s.f.dir, 'no-such-clone'), '--git', 'main', '--json'])
    expect(noRepo.code).toBe(2)
    expect(noRepo.json).toMatchObject({name: 'E_REPO_MISSING', message: expect.stringContaining('no-such-clone')})
    const notRepo = await wickerIn(['collect', s.f.dir, '--git', 'main', '--json'])
    expect(notRepo.code).toBe(2)
    expect(notRepo.json.name).toBe('E_NOT_A_REPO')
  })

  it('says git is missing (exit 2) when it is not on PATH, and that a source is needed', async () => {
    const s = scene()
    const r = await wickerIn(['collect', s.f.dir, '--repo', s.repo, '--git', 'main', '--json'], {env: {PATH: '/nonexistent-bin'}})
    expect(r.code).toBe(2)
    expect(r.json.name).toBe('E_GIT_MISSING')
    expect(schemaErrors('envelope/error.json', r.json)).toEqual([])
    const none = await wickerIn(['collect', s.f.dir, '--json'])
    expect(none.code).toBe(2)
    expect(none.json.name).toBe('E_COLLECT_NOTHING')
    mkdirSync(join(s.f.dir, 'elsewhere'))
    const single = await wickerIn(['collect', s.f.dir, '--repo', s.repo, '--git', 'claude/a', '--staging', join(s.f.dir, 'elsewhere'), '--json'])
    expect(single.code).toBe(0)
    expect(single.json.result).toMatchObject({staging: 'elsewhere', totals: {written: 2}})
  })
})
