import {basename} from 'node:path'

import {InputError} from '../errors.js'
import type {Course} from './model.js'

/**
 * A course with no LEGO has nothing to cover, so "100.0% coverage" (0 of 0) would be a pass for a
 * lego_pairs.json that is empty or not filled in yet. The commands that report coverage or check
 * baskets against the LEGOs (detect, validate, status, preview) refuse it instead: exit 2.
 */
export function requireLegos(course: Course): void {
  if (course.legos.length > 0) return
  const file = course.files.legoPairs
  throw new InputError({
    code: 'E_EMPTY_COURSE',
    message: `${course.code} has no LEGOs: ${file} holds ${course.seeds.length === 0 ? 'no seeds' : `${course.seeds.length} seed(s) without any LEGO`}, so there is no coverage to report and nothing to check baskets against.`,
    hint: `Fill ${basename(file)} with the course's seeds and their LEGOs, or check that you named the right course (${course.dir}).`,
    details: {file, seeds: course.seeds.length, legos: 0},
  })
}
