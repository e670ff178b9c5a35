import {InputError} from '../errors.js'
import {isObject} from '../json.js'
import {checkedJson} from '../schemas/check.js'
import {planSchema} from '../schemas/plan.js'
import {PLAN_VERSION, planDigest, type PlanFile} from './plan.js'

const FRESH_PLAN = 'Write a fresh plan with `wicker preview <course> --out <file>` (a plan is written by wicker, not by hand).'

/**
 * A plan read from `file`: checked by its schema and the whole by its planId. Its ops name their
 * phrases rather than carry them (version 3); merge reads them again from the staging files the plan
 * pins by hash and applies them only if they give this very planId.
 */
export function parsePlan(value: unknown, file: string): PlanFile {
  if (isObject(value) && value.kind === 'wicker/plan' && typeof value.version === 'number' && value.version !== PLAN_VERSION) {
    throw new InputError({
      code: 'E_PLAN_VERSION',
      message: `Plan ${file} is a version ${value.version} plan, written by ${value.version < PLAN_VERSION ? 'an older' : 'a newer'} wicker; this one applies version ${PLAN_VERSION} plans only.`,
      hint: 'Write a fresh plan with this wicker: `wicker preview <course> --out <file>`, then merge that.',
      details: {file, version: value.version, expected: PLAN_VERSION},
    })
  }
  const plan: PlanFile = checkedJson(value, file, planSchema, {what: 'Plan', code: 'E_PLAN_INVALID', hint: FRESH_PLAN})
  // the digest is of the file as written (its key order), not of the checked copy
  const {planId, createdAt, ...body} = value as PlanFile
  void createdAt
  if (planDigest(body) !== planId) {
    const why = 'planId: its content does not match its planId (it was edited)'
    throw new InputError({code: 'E_PLAN_INVALID', message: `Plan ${file} is not usable: ${why}.`, hint: FRESH_PLAN, details: {file, problems: [why]}})
  }
  return plan
}
