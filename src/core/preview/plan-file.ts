import {InputError} from '../errors.js'
import {phrasesHash} from '../extract/candidate.js'
import {checkedJson} from '../schemas/check.js'
import {planSchema} from '../schemas/plan.js'
import {planDigest, type Plan} from './plan.js'

const FRESH_PLAN = 'Write a fresh plan with `wicker preview <course> --out <file>` (a plan is written by wicker, not by hand).'

/** A plan read from `file`: checked by its schema, each op's phrases by their hash, and the whole by its planId. */
export function parsePlan(value: unknown, file: string): Plan {
  const plan: Plan = checkedJson(value, file, planSchema, {what: 'Plan', code: 'E_PLAN_INVALID', hint: FRESH_PLAN})
  const refuse = (why: string): never => {
    throw new InputError({code: 'E_PLAN_INVALID', message: `Plan ${file} is not usable: ${why}.`, hint: FRESH_PLAN, details: {file, problems: [why]}})
  }
  plan.ops.forEach((op, i) => {
    if (op.op !== 'adopt' && phrasesHash(op.phrases) !== op.hash) refuse(`ops[${i}].hash: the phrases of ${op.id} do not match their hash (the plan was edited)`)
  })
  // the digest is of the file as written (its key order), not of the checked copy
  const {planId, createdAt, ...body} = value as Plan
  void createdAt
  if (planDigest(body) !== planId) refuse('planId: its content does not match its planId (it was edited)')
  return plan
}
