import type {Context} from 'hono'

import type {Course} from '../course/model.js'
import type {UploadProblem} from './intake.js'

/**
 * What every route of `wicker serve` shares: the served course, the bearer token a request presents,
 * and answers as JSON or `application/problem+json` (RFC 9457). server.ts and page-routes.ts both
 * use these, so a 401 reads the same whichever route gave it.
 */

export interface ServedCourse {
  course: Course
  /** how runStatus finds the course again (its folder) and where relative paths start */
  cwd: string
}

interface Problem {
  type: string
  title: string
  status: number
  detail: string
  problems?: UploadProblem[]
}

/** A stored answer: what a retry with the same Idempotency-Key and body gets back. */
export interface Answer {
  status: number
  body: Record<string, unknown>
}

const PROBLEM_TYPE = 'https://github.com/wicker/wicker#wicker-serve'

/** the WWW-Authenticate header of every 401 */
export const BEARER_CHALLENGE = {'www-authenticate': 'Bearer realm="wicker"'} as const

export const problem = (status: number, title: string, detail: string, problems?: UploadProblem[]): Answer => ({
  status,
  body: {type: `${PROBLEM_TYPE}-${status}`, title, status, detail, ...(problems ? {problems} : {})} satisfies Problem,
})

export function send(c: Context, answer: Answer, headers: Record<string, string> = {}): Response {
  const type = answer.status >= 400 ? 'application/problem+json' : 'application/json'
  return c.body(JSON.stringify(answer.body), answer.status as 200, {'content-type': type, ...headers})
}

/** the token of an `Authorization: Bearer <token>` header, or undefined */
export const bearerOf = (header: string | undefined): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1]
