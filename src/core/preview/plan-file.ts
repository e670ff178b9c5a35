import {InputError} from '../errors.js'
import {phrasesHash} from '../extract/candidate.js'
import {formatIssues} from '../schemas/config.js'
import {planHeaderSchema} from '../schemas/plan.js'
import {planDigest, type Plan} from './plan.js'

const isText = (v: unknown): v is string => typeof v === 'string'

/**
 * A plan file as merge reads it: the header by its schema (schemas/plan.ts), then each op field by
 * field, then the phrase hashes and the planId against the content, so a hand-edited plan is refused.
 */
export function parsePlan(value: unknown, file: string): Plan {
  const refuse = (why: string): never => {
    throw new InputError({code: 'E_PLAN_INVALID', message: `${file} is not a usable plan: ${why}.`, hint: 'Write a fresh plan with `wicker preview <course> --out <file>`.', details: {file}})
  }
  const parsed = planHeaderSchema.safeParse(value)
  if (!parsed.success) refuse(formatIssues(parsed.error).slice(0, 5).join('; '))
  const plan = value as Plan
  plan.ops.forEach((op, i) => {
    const ok =
      typeof op === 'object' && op !== null && ['add', 'update', 'adopt'].includes(op.op) && isText(op.id) && isText(op.hash) && Array.isArray(op.phrases) && Array.isArray(op.sources) && op.phrases.every((p) => typeof p === 'object' && p !== null && isText(p.known) && isText(p.target))
    if (!ok) refuse(`ops[${i}] is malformed`)
  })
  const {planId, createdAt, ...body} = plan
  void createdAt
  for (const op of plan.ops) if (op.op !== 'adopt' && phrasesHash(op.phrases) !== op.hash) refuse(`the phrases of ${op.id} do not match their hash (the plan was edited)`)
  if (planDigest(body) !== planId) refuse('its content does not match its planId (it was edited)')
  return plan
}
