import {UsageError} from '../errors.js'
import {stagedName} from '../schemas/run-plan.js'

/**
 * `prepare-segments --upload URL` (issue 12 §1 "Prompts"): the words that tell a remote agent how to
 * deliver its output to `wicker serve` by HTTP PUT instead of writing a file. The token is never in a
 * prompt: only the name of the environment variable the agent reads it from.
 */

export interface UploadTarget {
  /** the server's base URL, no trailing slash */
  url: string
  /** environment variable holding the bearer token */
  tokenEnv: string
}

const FIX_URL = 'Give the base URL of `wicker serve`, e.g. --upload https://wicker.example.org or --upload http://127.0.0.1:4750 (no user:password, no ?query or #fragment; the token goes in --token-env).'
/** An environment variable's name as wicker accepts one in a flag (--token-env, --api-key-env). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/

/** --upload and --token-env checked: http(s) only, no credentials, no query or fragment; trailing slashes dropped. */
/**
 * A URL a flag names for wicker to send to (--upload, launch --base-url): http or https, no
 * credentials (they would be kept where the URL is), no query, no fragment; else a usage error.
 */
export function checkHttpUrl(raw: string, o: {flag: string; code: string; credentials: string; after?: string; hint?: string}): URL {
  const refuse = (why: string): never => {
    throw new UsageError({code: o.code, message: `${o.flag} ${JSON.stringify(raw)}: ${why}.${o.after ? ` ${o.after}` : ''}`, hint: o.hint ?? FIX_URL, details: {flag: o.flag, value: raw}})
  }
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return refuse('not a URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') refuse(`${url.protocol.replace(/:$/, '')} is not http or https`)
  if (url.username || url.password) refuse(`it holds credentials, ${o.credentials}`)
  if (url.search || raw.includes('?')) refuse('it has a query string')
  if (url.hash || raw.includes('#')) refuse('it has a fragment')
  return url
}

export function checkUploadTarget(raw: string, tokenEnv = 'WICKER_TOKEN'): UploadTarget {
  const url = checkHttpUrl(raw, {flag: '--upload', code: 'E_UPLOAD_URL', credentials: 'which would be copied into every prompt'})
  if (!ENV_NAME.test(tokenEnv)) {
    throw new UsageError({code: 'E_TOKEN_ENV', message: `--token-env ${JSON.stringify(tokenEnv)} is not an environment variable name.`, hint: 'Give a name of letters, digits and "_", not starting with a digit (default WICKER_TOKEN); never the token itself.', details: {flag: '--token-env', value: tokenEnv}})
  }
  return {url: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, tokenEnv}
}

/** A plain-http URL whose host is not this machine (loopback: nothing leaves it, an SSH tunnel, a local proxy). */
export function plainHttpToAnotherMachine(raw: string): boolean {
  const url = new URL(raw)
  if (url.protocol !== 'http:') return false
  const host = url.hostname.replace(/^\[|\]$/g, '')
  return !(host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host))
}

/**
 * A warning for a plain-http URL to another machine: the bearer token would cross the network
 * unencrypted (put serve behind HTTPS, README "Reaching serve from elsewhere"). Loopback is fine:
 * nothing leaves the machine (an SSH tunnel, a local proxy).
 */
export function cleartextWarning(target: UploadTarget): string | null {
  if (!plainHttpToAnotherMachine(target.url)) return null
  return `--upload ${target.url} is plain http to another machine: the bearer token crosses the network unencrypted. Put wicker serve behind HTTPS (a reverse proxy or a tunnel) and use https://.`
}

/** The PUT URL of a packet's output: the staging name launch would give its first attempt. */
export function uploadUrl(target: UploadTarget, course: string, run: string, packet: string): string {
  return `${target.url}/v1/courses/${encodeURIComponent(course)}/staging/${stagedName(run, packet, 1)}`
}

export function curlLine(target: UploadTarget, url: string, packet: string, file: string): string {
  return `curl --fail-with-body -sS -X PUT -H "Authorization: Bearer $${target.tokenEnv}" -H "Idempotency-Key: ${packet}-1" -H "content-type: application/json" --data-binary @${file} ${url}`
}

/** The section appended to a worker prompt when --upload is given. */
export function workerUploadSection(target: UploadTarget, course: string, run: string, packet: string): string {
  const url = uploadUrl(target, course, run, packet)
  const file = `${packet}.json`
  return `
## Delivering the output by HTTP (wicker serve)
You may not be able to write into the course folder: upload the JSON document instead. Save it to a
file (here ${file}), then run:

\`\`\`sh
${curlLine(target, url, packet, file)}
\`\`\`

The token is in the environment variable ${target.tokenEnv}; never print it or write it into a file.
The URL is ${url}

What the server answers:
- 201 (written) or 200 (the same content was already there): done. The body is JSON:
  \`{"file": "<staging path it was written to>", "sha256": "<hex>", "bytes": <size>, "requested": "<the name asked for>"}\`.
- 422: the document would not be read as it is. The body's \`problems\` lists each problem as
  \`{"path": "<JSON path, or null for the file as a whole>", "kind": "...", "message": "..."}\`: fix every one
  and upload again with a NEW Idempotency-Key (${packet}-2, then ${packet}-3, …). A 422 saying the
  Idempotency-Key was reused means the same: use a new key for a changed body.
- 401 or 403: the token is missing, wrong, expired or not for this course/run. Stop and report it; do not retry.
- 413: the body is larger than the server takes. Stop and report it.
- 409 or 429: wait the number of seconds in the Retry-After header, then send the same request again.
- 5xx, a timeout or a network error: send the same request again, with the same Idempotency-Key, a few
  times with a pause between; the server answers a repeated key with its first answer, never twice.
`
}

/** The paragraph appended to an orchestrator prompt when --upload is given. */
export function orchestratorUploadSection(target: UploadTarget): string {
  return `
## Delivery by HTTP
Each worker prompt ends with the curl line that uploads its output to ${target.url} (wicker serve).
The workers read the bearer token from the environment variable ${target.tokenEnv}: make sure it is set
for them, and never put the token itself into a prompt or a file. A worker is done when its upload
was answered 201 or 200.
`
}
