import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import {checkRunName} from '../schemas/run-plan.js'
import {createToken, listTokens, revokeToken, type CreatedToken, type TokenView} from './tokens.js'

/** `wicker serve token …`: find the course (its code scopes the token), then one step on its tokens file. */

export type TokenCreateResult = CreatedToken
export interface TokenListResult {
  course: string
  tokens: TokenView[]
}
export interface TokenRevokeResult {
  token: TokenView
  alreadyRevoked: boolean
}

type Outcome<R> = {result: R; warnings: string[]}

export async function runTokenCreate(options: OpenCourseOptions & {run?: string; expiresMs: number}): Promise<Outcome<TokenCreateResult>> {
  const run = options.run === undefined ? null : checkRunName(options.run)
  const {course, warnings} = await openCourse({...options, canon: false})
  const {result, notes} = await createToken(course.dir, {course: course.code, run, expiresMs: options.expiresMs})
  return {result, warnings: [...warnings, ...notes]}
}

export async function runTokenList(options: OpenCourseOptions): Promise<Outcome<TokenListResult>> {
  const {course, warnings} = await openCourse({...options, canon: false})
  return {result: {course: course.code, tokens: await listTokens(course.dir)}, warnings}
}

export async function runTokenRevoke(options: OpenCourseOptions & {id: string}): Promise<Outcome<TokenRevokeResult>> {
  const {course, warnings} = await openCourse({...options, canon: false})
  const {result, notes} = await revokeToken(course.dir, options.id)
  if (result.alreadyRevoked) warnings.push(`token ${options.id} was already revoked (at ${result.token.revokedAt}): nothing changed`)
  return {result, warnings: [...warnings, ...notes]}
}
