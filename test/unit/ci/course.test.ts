import {mkdirSync, realpathSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'

import {renderCiFiles} from '../../../src/cli/render/ci.js'
import {Ui, decideUi} from '../../../src/cli/ui.js'
import {findCiCourse, gitRoot} from '../../../src/core/ci/course.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

const course = {'lego_pairs.json': '{"seeds": []}\n'}

describe('where a CI template puts the course', () => {
  it('finds the repository root by its .git entry, a folder or a worktree\'s file, walking up from the course', async () => {
    const root = realpathSync(tempDir('wicker-ci-root-'))
    writeTree(root, {'.git/HEAD': 'ref: refs/heads/main\n', ...Object.fromEntries(Object.entries(course).map(([k, v]) => [`a/b/tlon/${k}`, v]))})
    expect(await gitRoot(join(root, 'a', 'b', 'tlon'))).toBe(root)
    expect(await findCiCourse({course: 'a/b/tlon', cwd: join(root, 'a')}).catch((e) => e)).toMatchObject({message: expect.stringContaining('No course')})
    expect(await findCiCourse({course: 'b/tlon', cwd: join(root, 'a')})).toEqual({dir: join(root, 'a/b/tlon'), root, git: true, coursePath: 'a/b/tlon'})

    const worktree = realpathSync(tempDir('wicker-ci-worktree-'))
    writeTree(worktree, {'.git': 'gitdir: /elsewhere/.git/worktrees/x\n', ...course})
    expect(await findCiCourse({course: '.', cwd: worktree})).toEqual({dir: worktree, root: worktree, git: true, coursePath: '.'})
  })

  it('a course reached through a symbolic link is placed where it really is', async () => {
    const root = realpathSync(tempDir('wicker-ci-link-'))
    mkdirSync(join(root, '.git'))
    writeTree(root, Object.fromEntries(Object.entries(course).map(([k, v]) => [`courses/real/${k}`, v])))
    const outside = realpathSync(tempDir('wicker-ci-link-out-'))
    symlinkSync(join(root, 'courses', 'real'), join(outside, 'alias'))
    expect(await findCiCourse({course: 'alias', cwd: outside})).toMatchObject({root, coursePath: 'courses/real'})
  })
})

describe('renderCiFiles', () => {
  it('lists each file with its action and backup on stdout, the next steps on stderr', () => {
    const out = new PassThrough()
    const err = new PassThrough()
    const ui = new Ui(decideUi({json: false, quiet: false, color: false, env: {}, stdoutIsTTY: false, stderrIsTTY: false}), out, err)
    renderCiFiles(ui, {files: [{file: '/r/.github/workflows/wicker.yml', action: 'replaced', backup: '/r/.github/workflows/wicker.yml.20261202T101010Z.bak'}, {file: '/r/Dockerfile', action: 'unchanged', backup: null}], next: ['Add the secret.', 'Push it.']})
    expect(String(out.read())).toBe('replaced  /r/.github/workflows/wicker.yml (what was there is kept as /r/.github/workflows/wicker.yml.20261202T101010Z.bak)\nunchanged /r/Dockerfile\n')
    expect(String(err.read())).toBe('\nNext:\n  1. Add the secret.\n  2. Push it.\n')
  })
})
