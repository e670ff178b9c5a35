import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Ajv2020} from 'ajv/dist/2020.js'
import {describe, expect, it} from 'vitest'
import {z} from 'zod'

import {committedSchemaFiles, SCHEMAS_DIR} from '../../../scripts/schemas.js'
import {AJV_OPTIONS} from '../../helpers/json-schemas.js'
import {jsonSchemaFiles, jsonSchemaText, SCHEMA_ID_BASE} from '../../../src/core/schemas/json-schema.js'
import {RESULTS, SCHEMAS} from '../../../src/core/schemas/registry.js'

const generated = jsonSchemaFiles(SCHEMAS)

describe('the committed JSON Schemas under schemas/', () => {
  it('are byte for byte what the registry generates', () => {
    const stale = generated.filter(({name, text}) => {
      try {
        return readFileSync(join(SCHEMAS_DIR, name), 'utf8') !== text
      } catch {
        return true
      }
    })
    expect(stale.map((f) => f.name), 'schemas/ is out of date: run npm run schemas').toEqual([])
  })

  it('have one registry entry each, and each entry has a file', () => {
    const names = generated.map((f) => f.name)
    const committed = committedSchemaFiles()
    expect(names.filter((n) => !committed.includes(n)), 'registry entries without a file in schemas/: run npm run schemas').toEqual([])
    expect(committed.filter((n) => !names.includes(n)), 'files in schemas/ that no registry entry has: run npm run schemas').toEqual([])
  })

  it('are draft 2020-12 schemas with their own $id that ajv compiles', () => {
    const ajv = new Ajv2020({...AJV_OPTIONS})
    for (const {name, text} of generated) {
      const schema = JSON.parse(text)
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
      expect(schema.$id).toBe(`${SCHEMA_ID_BASE}${name}`)
      expect(text.endsWith('}\n')).toBe(true)
      expect(() => ajv.compile(schema), name).not.toThrow()
    }
  })
})

describe('jsonSchemaText', () => {
  it('gives the same bytes whatever order the schema declares its fields in', () => {
    const a = z.object({zeta: z.string(), alpha: z.int(), mid: z.object({b: z.boolean(), a: z.null()})})
    const b = z.object({alpha: z.int(), mid: z.object({a: z.null(), b: z.boolean()}), zeta: z.string()})
    const text = jsonSchemaText('result/x.json', a)
    expect(Object.keys(JSON.parse(text))).toEqual(['$schema', '$id', 'additionalProperties', 'properties', 'required', 'type'])
    expect(JSON.parse(jsonSchemaText('result/x.json', b)).properties).toEqual(JSON.parse(text).properties)
    expect(Object.keys(JSON.parse(text).properties)).toEqual(['alpha', 'mid', 'zeta'])
  })
})

describe('a file wicker reads', () => {
  it('is described as what its parse accepts: a field with a default may be left out; a result as what the code prints', () => {
    const settings = z.object({limit: z.int().default(10), name: z.string()})
    expect(JSON.parse(jsonSchemaText('settings.json', settings)).required).toEqual(['name'])
    expect(JSON.parse(jsonSchemaText('result/settings.json', settings)).required).toEqual(['limit', 'name'])
  })
})

describe('the result registry', () => {
  it('has a result schema for every command that prints one, and no schema for a command that does not exist', () => {
    const dir = new URL('../../../src/commands/', import.meta.url)
    // a command in a topic folder (serve/token/create.ts) is registered by its id with '-' for ' ';
    // a topic's own command (serve/index.ts) by the topic's id
    const commands = readdirSync(dir, {recursive: true, encoding: 'utf8'})
      .filter((f) => f.endsWith('.ts') && readFileSync(new URL(f, dir), 'utf8').includes('extends BaseCommand'))
      .map((f) => f.replace(/(\/index)?\.ts$/, '').replaceAll('/', '-'))
      .sort()
    expect(Object.keys(RESULTS).sort()).toEqual(commands)
  })
})
