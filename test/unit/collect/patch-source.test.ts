import {execFileSync} from 'node:child_process'
import {unlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {patchFiles} from '../../../src/core/collect/patch-source.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

const git = (repo: string, ...args: string[]) => execFileSync('git', args, {cwd: repo, encoding: 'utf8', env: {...process.env, GIT_AUTHOR_NAME: 'Orla Vint', GIT_AUTHOR_EMAIL: 'orla@example.invalid', GIT_COMMITTER_NAME: 'Orla Vint', GIT_COMMITTER_EMAIL: 'orla@example.invalid'}})
const all = () => true

/** `git diff --cached` of a change made by `change` on top of a commit of `base`. */
function diffOf(base: Record<string, string | Uint8Array>, change: (repo: string) => void, ...flags: string[]): string {
  const repo = tempDir('wicker-patch-')
  git(repo, 'init', '-q', '-b', 'main')
  writeTree(repo, base)
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', 'dorn')
  change(repo)
  git(repo, 'add', '-A')
  return git(repo, 'diff', '--cached', ...flags)
}

describe('the files a patch adds', () => {
  it('rebuilds each added file byte for byte, with or without a final newline, and an empty one', () => {
    const texts = {'s/a.json': '{"trel": [1,\n  2]}\n', 's/b.json': '{"no": "newline"}', 's/crlf.json': '{\r\n"x": 1\r\n}\r\n', 's/empty.json': ''}
    const patch = diffOf({'keep.txt': 'mosk\n'}, (repo) => writeTree(repo, texts))
    const got = patchFiles('p', patch, all)
    expect(Object.fromEntries(got.found.map((f) => [f.path, Buffer.from(f.bytes).toString('utf8')]))).toEqual(texts)
    expect(got.left).toEqual([])
  })

  it('reports modified, deleted and binary files as ignored, and a symlink as refused', () => {
    const patch = diffOf({'s/mod.json': '{"a": 1}\n', 's/gone.json': '{"b": 2}\n'}, (repo) => {
      writeFileSync(join(repo, 's/mod.json'), '{"a": 2}\n')
      unlinkSync(join(repo, 's/gone.json'))
      writeFileSync(join(repo, 's/blob.json'), Buffer.from([0, 1, 2, 255]))
      execFileSync('ln', ['-s', '/etc/passwd', join(repo, 's/link.json')])
    })
    const got = patchFiles('p', patch, all)
    expect(got.found).toEqual([])
    const why = Object.fromEntries(got.left.map((l) => [l.path, `${l.action}: ${l.reason}`]))
    expect(why['s/mod.json']).toMatch(/^ignored: modified/)
    expect(why['s/gone.json']).toMatch(/^ignored: deleted/)
    expect(why['s/blob.json']).toMatch(/^ignored: a binary file/)
    expect(why['s/link.json']).toMatch(/^refused: a symbolic link/)
  })

  it('reads --no-prefix output, keeps only matching paths, and refuses names git had to quote', () => {
    const patch = diffOf({'x.txt': 'x\n'}, (repo) => writeTree(repo, {'s/plain.json': '{}\n', 'other/skip.json': '{}\n', 's/tab\there.json': '{}\n'}), '--no-prefix')
    const got = patchFiles('p', patch, (path) => path.startsWith('s/'))
    expect(got.found.map((f) => f.path)).toEqual(['s/plain.json'])
    expect(got.left).toEqual([{path: '"s/tab\\there.json"', action: 'refused', reason: expect.stringContaining('quoted name')}])
  })
})
