import {z} from 'zod'

/**
 * `$id` of every shipped schema: an identifier, not an address (.invalid never resolves, RFC 2606).
 * The files themselves ship in the npm package under schemas/; when the project has a public home,
 * change this one constant and run `npm run schemas`.
 */
export const SCHEMA_ID_BASE = 'https://wicker.invalid/schemas/'

const FIRST = ['$schema', '$id']
const v = (o: object, k: string) => (o as Record<string, unknown>)[k]
const rank = (key: string) => (FIRST.includes(key) ? FIRST.indexOf(key) : FIRST.length)

/** Keys sorted at every level, `$schema` and `$id` first, `required` lists sorted: the same schema always gives the same bytes. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value === null || typeof value !== 'object') return value
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
  // `required` is a set: sorted too, so the order fields are declared in does not show
  return Object.fromEntries(keys.map((k) => [k, k === 'required' && Array.isArray(v(value, k)) ? [...(v(value, k) as string[])].sort() : canonical(v(value, k))]))
}

/**
 * What wicker prints (results, envelopes, events) is described as zod's output; a file wicker reads
 * (config, plan, ledger…) as what its parse accepts: zod's input, where a field with a default may
 * be left out.
 */
export const ioOf = (name: string): 'input' | 'output' => (/^(result|envelope|events)\//.test(name) ? 'output' : 'input')

/** The JSON Schema (draft 2020-12) file for one registry entry: what `npm run schemas` writes to schemas/<name>. */
export function jsonSchemaText(name: string, schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, {target: 'draft-2020-12', io: ioOf(name), unrepresentable: 'throw'})
  return `${JSON.stringify(canonical({...json, $id: `${SCHEMA_ID_BASE}${name}`}), null, 2)}\n`
}

/** Every file of the registry, by name, in name order. */
export function jsonSchemaFiles(registry: Record<string, z.ZodType>): Array<{name: string; text: string}> {
  return Object.keys(registry)
    .sort()
    .map((name) => ({name, text: jsonSchemaText(name, registry[name]!)}))
}
