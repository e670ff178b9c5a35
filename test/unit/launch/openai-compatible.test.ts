import {describe, expect, it} from 'vitest'

import {makeAgent, OPENAI_AGENT} from '../../../src/core/launch/agents.js'
import {classify} from '../../../src/core/launch/classify.js'
import {decide} from '../../../src/core/launch/policy.js'
import {estimateTokens} from '../../../src/core/launch/estimate.js'
import {chatBody, overContext, readAnswer} from '../../../src/core/launch/openai/chat.js'
import {providerSafe, structuredOutputSchema} from '../../../src/core/launch/openai/provider-schema.js'
import {checkBaseUrl, openAiEnv, openAiSettings} from '../../../src/core/launch/openai/settings.js'
import {UsageError} from '../../../src/core/errors.js'

/** Every object's keys, at every depth, of a JSON value. */
function allKeys(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => [k, ...allKeys(v)])
}

describe('providerSafe: a JSON Schema a strict-mode server takes', () => {
  it('requires every property (an optional one may be null), closes every object, drops bounds and formats, inlines $ref and says oneOf as anyOf', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $defs: {phrase: {type: 'object', properties: {known: {type: 'string', minLength: 1}, target: {type: 'string', maxLength: 99, pattern: '^\\S'}}, required: ['known', 'target']}},
      type: 'object',
      title: 'vorp',
      properties: {
        count: {type: 'integer', minimum: 0, maximum: 10, default: 3},
        when: {type: 'string', format: 'date-time'},
        phrases: {type: 'array', items: {$ref: '#/$defs/phrase'}, minItems: 1, maxItems: 20},
        either: {oneOf: [{type: 'string'}, {type: 'number', exclusiveMinimum: 0}]},
      },
      required: ['phrases'],
    }
    expect(providerSafe(schema)).toEqual({
      type: 'object',
      properties: {
        count: {anyOf: [{type: 'integer'}, {type: 'null'}]},
        when: {anyOf: [{type: 'string'}, {type: 'null'}]},
        phrases: {type: 'array', items: {type: 'object', properties: {known: {type: 'string'}, target: {type: 'string'}}, required: ['known', 'target'], additionalProperties: false}},
        either: {anyOf: [{anyOf: [{type: 'string'}, {type: 'number'}]}, {type: 'null'}]},
      },
      required: ['count', 'when', 'phrases', 'either'],
      additionalProperties: false,
    })
    // the schema given is left as it was
    expect(schema.properties.count.minimum).toBe(0)
  })

  it('refuses what strict mode cannot say: a record, and a $ref cycle', () => {
    expect(() => providerSafe({type: 'object', additionalProperties: {type: 'string'}})).toThrow(/record/)
    expect(() => providerSafe({$defs: {node: {type: 'object', properties: {next: {$ref: '#/$defs/node'}}}}, $ref: '#/$defs/node'})).toThrow(/cycle/)
  })

  it('the worker output with a packet\'s LEGO ids: exactly those baskets, nothing a provider rejects', () => {
    const schema = structuredOutputSchema(['S0001L01', 'S0001L02'])
    expect(schema.required).toEqual(['course', 'packet', 'baskets'])
    const baskets = (schema.properties as any).baskets
    expect(baskets).toMatchObject({type: 'object', required: ['S0001L01', 'S0001L02'], additionalProperties: false})
    expect(baskets.properties.S0001L01.properties.practice_phrases.items).toMatchObject({required: ['known', 'target'], additionalProperties: false})
    const keys = allKeys(schema)
    for (const bad of ['$ref', '$defs', '$schema', 'minLength', 'minItems', 'maxItems', 'pattern', 'format', 'minimum', 'maximum']) expect(keys).not.toContain(bad)
  })
})

describe('the chat-completions request', () => {
  it('sends the rendered prompt as the user message and the schema as response_format; --no-schema asks for the JSON alone instead', () => {
    const withSchema = chatBody({model: 'tlon-7b', prompt: 'klem dazo', schema: true, legoIds: ['S0001L01']})
    expect(withSchema.messages).toEqual([{role: 'system', content: expect.any(String)}, {role: 'user', content: 'klem dazo'}])
    expect(withSchema.response_format).toMatchObject({type: 'json_schema', json_schema: {name: 'wicker_worker_output', strict: true}})
    const plain = chatBody({model: 'tlon-7b', prompt: 'klem dazo', schema: false, legoIds: ['S0001L01']})
    expect(plain).not.toHaveProperty('response_format')
    expect(plain.messages[0]!.content).toMatch(/JSON document alone/)
  })

  it('estimates tokens at 4 Latin characters a token and one for each character of another script', () => {
    expect(estimateTokens('vorp klem')).toBe(3)
    expect(estimateTokens('ĉu vi ŝatas')).toBe(3)
    expect(estimateTokens('猫が好き')).toBe(4)
    expect(estimateTokens('кот')).toBe(3)
  })

  it('--max-context refuses a prompt estimated above it, and lets one under it go', () => {
    const messages = [{role: 'user' as const, content: 'vorp '.repeat(400)}]
    expect(overContext(messages, null)).toBeNull()
    expect(overContext(messages, 1000)).toBeNull()
    expect(overContext(messages, 100)).toMatch(/about 504 tokens, over --max-context 100: not sent/)
  })
})

describe('readAnswer: an HTTP answer as an attempt class', () => {
  const now = Date.parse('2026-12-02T12:00:00Z')
  const ok = (choice: object, usage: object | null = {prompt_tokens: 10, completion_tokens: 20}) => ({status: 200, retryAfter: null, body: JSON.stringify({choices: [choice], ...(usage ? {usage} : {})})})
  it.each([
    ['429 with Retry-After in seconds', {status: 429, retryAfter: '7', body: '{"error":{"message":"slow down"}}'}, {class: 'rate-limited', resetInMs: 7000, message: 'HTTP 429: slow down'}],
    ['429 with Retry-After as an HTTP date', {status: 429, retryAfter: 'Wed, 02 Dec 2026 12:01:30 GMT', body: ''}, {class: 'rate-limited', resetInMs: 90_000}],
    ['429 without Retry-After (the launcher backs off)', {status: 429, retryAfter: null, body: ''}, {class: 'rate-limited', resetInMs: null}],
    ['401', {status: 401, retryAfter: null, body: '{"error":{"message":"Incorrect API key"}}'}, {class: 'auth', message: expect.stringMatching(/^HTTP 401: Incorrect API key/)}],
    ['403', {status: 403, retryAfter: null, body: 'no'}, {class: 'auth'}],
    ['404: a wrong --base-url or --model', {status: 404, retryAfter: null, body: '{"error":"model \\"tlon\\" not found"}'}, {class: 'auth', message: expect.stringMatching(/model "tlon" not found.*--base-url/)}],
    ['a redirect', {status: 307, retryAfter: null, location: 'https://elsewhere.invalid/v1', body: ''}, {class: 'auth', message: expect.stringMatching(/redirect to https:\/\/elsewhere.invalid/)}],
    ['500', {status: 500, retryAfter: null, body: 'upstream fell over'}, {class: 'crash', message: 'HTTP 500: upstream fell over'}],
    ['503', {status: 503, retryAfter: null, body: ''}, {class: 'crash'}],
    ['400 about the context length', {status: 400, retryAfter: null, body: '{"error":{"message":"This model\'s maximum context length is 8192 tokens"}}'}, {class: 'over-context'}],
    ['a 200 that is not JSON', {status: 200, retryAfter: null, body: '<html>'}, {class: 'crash'}],
    ['finish_reason "length"', ok({message: {content: '{"baskets": {'}, finish_reason: 'length'}), {class: 'invalid-output', message: expect.stringMatching(/cut off/), tokens: {input: 10, output: 20}}],
    ['a refusal', ok({message: {content: null, refusal: 'I will not'}, finish_reason: 'stop'}), {class: 'invalid-output', message: 'the model refused: I will not'}],
    ['no content', ok({message: {content: ''}, finish_reason: 'stop'}), {class: 'invalid-output'}],
  ])('%s', (_name, res, expected) => {
    expect(readAnswer(res, now)).toMatchObject({ok: false, ...expected})
  })

  it('a 200 gives choices[0].message.content and the usage as tokens', () => {
    expect(readAnswer(ok({message: {content: '{"baskets": {}}'}, finish_reason: 'stop'}), now)).toEqual({ok: true, content: '{"baskets": {}}', tokens: {input: 10, output: 20}})
    expect(readAnswer(ok({message: {content: 'x'}}, null), now)).toEqual({ok: true, content: 'x', tokens: null})
  })
})

describe('the openai-compatible agent', () => {
  const settings = {baseUrl: 'http://127.0.0.1:11434/v1', model: 'tlon-7b', apiKeyEnv: 'OPENAI_API_KEY', schema: true, maxContext: 8192}
  const agent = makeAgent('openai-compatible', {openai: settings})

  it('is node and its script, with its settings in variables of its own (never the key)', () => {
    expect([agent.command, agent.args({} as never)]).toEqual([process.execPath, [OPENAI_AGENT]])
    expect(agent.env).toEqual({WICKER_OPENAI_BASE_URL: settings.baseUrl, WICKER_OPENAI_MODEL: 'tlon-7b', WICKER_OPENAI_API_KEY_ENV: 'OPENAI_API_KEY', WICKER_OPENAI_SCHEMA: 'json-schema', WICKER_OPENAI_MAX_CONTEXT: '8192'})
    expect(openAiEnv({...settings, schema: false, maxContext: null})).toEqual({WICKER_OPENAI_BASE_URL: settings.baseUrl, WICKER_OPENAI_MODEL: 'tlon-7b', WICKER_OPENAI_API_KEY_ENV: 'OPENAI_API_KEY', WICKER_OPENAI_SCHEMA: 'none'})
  })

  it('reads its result line: the class it reported decides, whatever the text says', () => {
    const line = (o: object) => `HTTP 429 from 127.0.0.1\n${JSON.stringify({type: 'result', ...o})}\n`
    const limited = agent.read(line({is_error: true, class: 'rate-limited', message: 'HTTP 429: slow down', reset_ms: 2000, tokens: null}), 1)
    expect(limited).toMatchObject({text: '', error: 'HTTP 429: slow down', class: 'rate-limited', resetInMs: 2000})
    const facts = {exitCode: 1, signal: null, timedOut: null, spawnError: null, text: 'unauthorized 401', agentError: limited.error, authExit: false, output: {valid: false as const, reason: 'no output'}}
    expect(classify({...facts, reported: {class: limited.class!, resetInMs: limited.resetInMs!}})).toEqual({class: 'rate-limited', message: 'HTTP 429: slow down', resetInMs: 2000})
    const answered = agent.read(line({is_error: false, tokens: {input: 401, output: 429}}), 0)
    expect(answered).toMatchObject({error: null, class: 'invalid-output', tokens: {input: 401, output: 429}})
    // an answer read whole whose output does not check is invalid output, though its usage line says 401 and 429
    const printed = 'HTTP 200 from 127.0.0.1\n{"type":"result","is_error":false,"tokens":{"input":401,"output":429}}'
    expect(classify({...facts, exitCode: 0, text: printed, agentError: null, output: {valid: false, reason: 'no basket for S0001L02'}, reported: {class: answered.class!, resetInMs: null}})).toEqual({class: 'invalid-output', message: 'no basket for S0001L02', resetInMs: null})
    expect(classify({...facts, exitCode: 0, text: printed, agentError: null, output: {valid: true}, reported: {class: answered.class!, resetInMs: null}}).class).toBe('ok')
    // a class it does not know, or no result line at all (it died): a crash, by the exit code
    expect(agent.read(line({is_error: true, class: 'vorp', message: 'x'}), 1).class).toBe('crash')
    const died = agent.read('Segmentation fault\n', 139)
    expect([died.class ?? null, died.error]).toEqual([null, null])
  })

  it('over-context is a failure of its own: never retried, and it does not halt the run', () => {
    expect(decide({class: 'over-context', message: 'too long', resetInMs: null}, {tries: 0, rateLimits: 0}, {retries: 5, backoffMs: 10})).toEqual({action: 'fail'})
  })
})

describe('openAiSettings: the flags, checked before anything starts', () => {
  const flags = {baseUrl: 'http://127.0.0.1:8080/v1/', model: ' tlon-7b '}
  it('trims the URL\'s trailing slash and the model; the default key variable may be unset', () => {
    expect(openAiSettings('openai-compatible', flags, {})).toEqual({settings: {baseUrl: 'http://127.0.0.1:8080/v1', model: 'tlon-7b', apiKeyEnv: 'OPENAI_API_KEY', schema: true, maxContext: null}, warnings: []})
  })

  it.each([
    ['ftp://127.0.0.1/v1', /ftp is not http or https/],
    ['file:///etc/passwd', /file is not http or https/],
    ['127.0.0.1:8080', /not http or https|not a URL/],
    ['http://user:pw@127.0.0.1/v1', /credentials/],
    ['http://127.0.0.1/v1?key=x', /query/],
  ])('refuses --base-url %s (exit 2)', (url, why) => {
    expect(() => checkBaseUrl(url)).toThrow(why)
    expect(() => checkBaseUrl(url)).toThrow(UsageError)
  })

  it('warns for plain http to another machine, naming the key when there is one; not for loopback or https', () => {
    expect(openAiSettings('openai-compatible', {...flags, baseUrl: 'http://10.0.0.7:8000/v1'}, {OPENAI_API_KEY: 'k'}).warnings).toEqual([expect.stringMatching(/plain http to another machine: every prompt and the API key cross/)])
    expect(openAiSettings('openai-compatible', {...flags, baseUrl: 'http://10.0.0.7:8000/v1'}, {}).warnings).toEqual([expect.stringMatching(/every prompt cross/)])
    expect(openAiSettings('openai-compatible', {...flags, baseUrl: 'http://localhost:8000/v1'}, {OPENAI_API_KEY: 'k'}).warnings).toEqual([])
    expect(openAiSettings('openai-compatible', {...flags, baseUrl: 'https://api.example.invalid/v1'}, {OPENAI_API_KEY: 'k'}).warnings).toEqual([])
  })

  it('refuses a missing --model or --base-url, a bad or unset --api-key-env, and its flags with another agent', () => {
    expect(() => openAiSettings('openai-compatible', {baseUrl: flags.baseUrl}, {})).toThrow(/needs --model/)
    expect(() => openAiSettings('openai-compatible', {model: 'm'}, {})).toThrow(/needs --base-url/)
    expect(() => openAiSettings('openai-compatible', {...flags, apiKeyEnv: 'sk-123'}, {})).toThrow(/not an environment variable name/)
    expect(() => openAiSettings('openai-compatible', {...flags, apiKeyEnv: 'TLON_KEY'}, {})).toThrow(/TLON_KEY: that environment variable is not set/)
    expect(openAiSettings('openai-compatible', {...flags, apiKeyEnv: 'TLON_KEY'}, {TLON_KEY: 'k'}).settings?.apiKeyEnv).toBe('TLON_KEY')
    expect(() => openAiSettings('claude', {model: 'm', schema: false}, {})).toThrow(/--model, --no-schema are only for --agent openai-compatible/)
    expect(openAiSettings('claude', {schema: true}, {})).toEqual({settings: null, warnings: []})
  })
})
