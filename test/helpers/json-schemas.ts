import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Ajv2020, type ErrorObject} from 'ajv/dist/2020.js'

import {committedSchemaFiles, SCHEMAS_DIR} from '../../scripts/schemas.js'

/**
 * Strict, as a careful user would run it; but a zod record with enum keys is written as
 * `propertyNames` + `required` without `properties`: valid draft 2020-12 that ajv's strictRequired
 * lint flags (off in ajv's defaults too).
 */
export const AJV_OPTIONS = {strict: true, strictRequired: false, allErrors: true} as const

/** The committed JSON Schemas (schemas/), compiled by ajv, as a user of the npm package would. */
const ajv = new Ajv2020({...AJV_OPTIONS})
const idOf = new Map<string, string>()
for (const name of committedSchemaFiles()) {
  const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, name), 'utf8'))
  ajv.addSchema(schema)
  idOf.set(name, schema.$id)
}

/** What is wrong with `value` by the committed schema `name` (e.g. 'result/validate.json'); [] when it fits. */
export function schemaErrors(name: string, value: unknown): string[] {
  const id = idOf.get(name)
  if (!id) return [`no schema ${name} under schemas/`]
  const validate = ajv.getSchema(id)!
  if (validate(value)) return []
  return (validate.errors ?? []).map((e: ErrorObject) => `${name}: ${e.instancePath || '(root)'} ${e.message}${e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''}`)
}
