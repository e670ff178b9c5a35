import {describe, expect, it} from 'vitest'

import {loadConfig} from '../../../src/core/config.js'
import {findCourse, resolveCoursesDir} from '../../../src/core/course/find.js'
import {UsageError} from '../../../src/core/errors.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

describe('wicker.config.json', () => {
  it('accepts comments and resolves coursesDir against the config file', async () => {
    const dir = writeTree(tempDir(), {'wicker.config.json': '// comment\n{\n  /* block */ "coursesDir": "vfs/courses",\n  "gate": {"definition": "window"}\n}\n'})
    const {file, config} = await loadConfig({cwd: `${dir}`})
    expect(file).toBe(`${dir}/wicker.config.json`)
    expect(config).toMatchObject({coursesDir: `${dir}/vfs/courses`, gate: {definition: 'window'}})
  })

  it('is found in a parent folder', async () => {
    const dir = writeTree(tempDir(), {'wicker.config.json': '{}', 'a/b/.keep': ''})
    expect((await loadConfig({cwd: `${dir}/a/b`})).file).toBe(`${dir}/wicker.config.json`)
  })

  it('names the file and the field of a bad value', async () => {
    const dir = writeTree(tempDir(), {'wicker.config.json': '{"gate": {"definition": "loose", "windowSeeds": "ten"}}'})
    const error = await loadConfig({cwd: dir}).catch((e) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect(error.message).toContain(`${dir}/wicker.config.json`)
    expect(error.message).toContain('gate.definition')
    expect(error.message).toContain('gate.windowSeeds')
    expect(error.details.problems).toHaveLength(2)
  })

  it('refuses unknown fields, so a typo does not pass silently', async () => {
    const dir = writeTree(tempDir(), {'wicker.config.json': '{"courseDir": "x"}'})
    await expect(loadConfig({cwd: dir})).rejects.toThrow(/courseDir/)
  })

  it('names line and column of broken JSON', async () => {
    const dir = writeTree(tempDir(), {'wicker.config.json': '{\n  "coursesDir": "x",\n}\n'})
    await expect(loadConfig({cwd: dir})).rejects.toThrow(/line 3, column 1/)
  })

  it('refuses a --config path that does not exist', async () => {
    await expect(loadConfig({cwd: tempDir(), file: 'nope.json'})).rejects.toThrow(/does not exist/)
  })
})

describe('finding the courses dir and a course', () => {
  it('prefers the flag, then the config, then public/vfs/courses, then the current folder', () => {
    const dir = writeTree(tempDir(), {'public/vfs/courses/.keep': ''})
    expect(resolveCoursesDir({flag: 'f', config: '/c', cwd: dir})).toBe(`${dir}/f`)
    expect(resolveCoursesDir({config: '/c', cwd: dir})).toBe('/c')
    expect(resolveCoursesDir({cwd: dir})).toBe(`${dir}/public/vfs/courses`)
    const bare = tempDir()
    expect(resolveCoursesDir({cwd: bare})).toBe(bare)
  })

  it('takes a folder path or a course code, and lists the courses when neither matches', () => {
    const dir = writeTree(tempDir(), {'courses/spa_for_eng/lego_pairs.json': '{}', 'courses/cmn_for_eng/lego_pairs.json': '{}'})
    expect(findCourse('spa_for_eng', {coursesDir: `${dir}/courses`, cwd: dir}).dir).toBe(`${dir}/courses/spa_for_eng`)
    expect(findCourse('courses/cmn_for_eng', {coursesDir: '/nowhere', cwd: dir}).dir).toBe(`${dir}/courses/cmn_for_eng`)
    const error = (() => {
      try {
        findCourse('fra_for_eng', {coursesDir: `${dir}/courses`, cwd: dir})
      } catch (e) {
        return e as UsageError
      }
    })()!
    expect(error.code).toBe('E_COURSE_NOT_FOUND')
    expect(error.hint).toContain('cmn_for_eng, spa_for_eng')
  })

  it('says when a folder is not a course, and warns about a doubled path', () => {
    const dir = writeTree(tempDir(), {'empty/.keep': '', 'courses/public/vfs/courses/spa_for_eng/lego_pairs.json': '{}'})
    expect(() => findCourse('empty', {coursesDir: dir, cwd: dir})).toThrow(/no lego_pairs.json/)
    expect(findCourse('courses/public/vfs/courses/spa_for_eng', {coursesDir: dir, cwd: dir}).warnings[0]).toMatch(/repeats/)
  })
})
