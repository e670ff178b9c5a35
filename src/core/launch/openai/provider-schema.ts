import {z} from 'zod'

import {workerOutputSchema} from '../../schemas/worker-output.js'

/**
 * A JSON Schema that chat-completions servers take for `response_format: {type: "json_schema",
 * strict: true}` (OpenAI's structured outputs, and the grammar makers of llama.cpp, vLLM and ollama):
 * - every property required: one that was optional may be null instead (strict mode has no optional);
 * - `additionalProperties: false` on every object (an object with no fixed properties, a record,
 *   cannot be said at all: it is refused here, a bug in the schema given);
 * - no bounds or formats (minLength, maximum, minItems, pattern, format…): some servers reject them,
 *   others ignore them, so the check that counts is wicker's own (launch/output.ts);
 * - no `$ref`: every reference inlined from `$defs` (a cycle is refused), `oneOf` said as `anyOf`;
 * - nothing but the schema: no `$schema`, `$id`, `title`, `default` or `examples`.
 */
export type JsonSchema = Record<string, unknown>

const DROPPED = new Set([
  '$schema', '$id', '$defs', 'definitions', 'title', 'default', 'examples', 'format', 'pattern', 'minLength', 'maxLength',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems',
  'minProperties', 'maxProperties', 'propertyNames', 'patternProperties', 'contentEncoding', 'contentMediaType', 'readOnly', 'writeOnly',
])

const isObject = (v: unknown): v is JsonSchema => v !== null && typeof v === 'object' && !Array.isArray(v)

function refTarget(root: JsonSchema, ref: string): JsonSchema {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref)
  const defs = match ? root[match[1]!] : undefined
  const target = isObject(defs) ? defs[decodeURIComponent(match![2]!).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined
  if (!isObject(target)) throw new Error(`provider-safe schema: $ref ${ref} does not point into $defs`)
  return target
}

function nullable(schema: JsonSchema): JsonSchema {
  if (schema.type === 'null') return schema
  return {anyOf: [schema, {type: 'null'}]}
}

function walk(schema: JsonSchema, root: JsonSchema, refs: readonly string[]): JsonSchema {
  if (typeof schema.$ref === 'string') {
    if (refs.includes(schema.$ref)) throw new Error(`provider-safe schema: $ref ${schema.$ref} refers to itself (a cycle cannot be inlined)`)
    const {$ref, ...rest} = schema
    return walk({...refTarget(root, $ref as string), ...rest}, root, [...refs, $ref as string])
  }
  const out: JsonSchema = {}
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) continue
    if (key === 'properties' || key === 'required' || key === 'additionalProperties') continue
    if (key === 'items' && isObject(value)) out.items = walk(value, root, refs)
    else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      const list = value.filter(isObject).map((s) => walk(s, root, refs))
      if (key === 'allOf' && list.length === 1) Object.assign(out, list[0])
      else out[key === 'oneOf' ? 'anyOf' : key] = list
    } else out[key] = value
  }
  const isObjectType = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object')) || isObject(schema.properties)
  if (isObjectType) {
    const properties = isObject(schema.properties) ? schema.properties : {}
    if (Object.keys(properties).length === 0 && schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
      throw new Error('provider-safe schema: an object with no fixed properties (a record) cannot be said in strict mode')
    }
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : [])
    out.type = out.type ?? 'object'
    out.properties = Object.fromEntries(Object.entries(properties).filter(([, s]) => isObject(s)).map(([name, s]) => {
      const safe = walk(s as JsonSchema, root, refs)
      return [name, required.has(name) ? safe : nullable(safe)]
    }))
    out.required = Object.keys(out.properties as JsonSchema)
    out.additionalProperties = false
  }
  return out
}

/** A JSON Schema made provider-safe (above): a new object, the one given is not changed. */
export function providerSafe(schema: JsonSchema): JsonSchema {
  return walk(schema, schema, [])
}

/** The schema sent with a packet's request: the worker output with the packet's LEGO ids, provider-safe. */
export function structuredOutputSchema(legoIds: readonly string[]): JsonSchema {
  return providerSafe(z.toJSONSchema(workerOutputSchema(legoIds), {target: 'draft-2020-12', io: 'output', unrepresentable: 'throw'}) as JsonSchema)
}
