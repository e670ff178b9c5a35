/** A JSON object (not null, not an array): the test every reader of untrusted JSON needs. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
