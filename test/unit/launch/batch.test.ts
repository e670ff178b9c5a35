import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {batchCostUsd, batchRequest, BATCH_LIMITS, customId, parseCustomId, readAnthropicResult, readOpenAiResult, splitBatches} from '../../../src/core/launch/batch/requests.js'
import {readLedger, RunLedger, summarize} from '../../../src/core/launch/ledger.js'
import {chatBody} from '../../../src/core/launch/openai/chat.js'
import {openAiSettings} from '../../../src/core/launch/openai/settings.js'
import {ledgerEntrySchema} from '../../../src/core/schemas/ledger.js'
import {tempDir} from '../../helpers/fs.js'

const P1 = 'p0123456789abcde'
const P2 = 'p0123456789abcdf'
const at = '2026-12-03T10:00:00.000Z'
const settings = {baseUrl: 'https://api.anthropic.com/v1', model: 'claude-sonnet-4-5', apiKeyEnv: 'ANTHROPIC_API_KEY', schema: true, maxContext: null}

describe('batch requests (launch --agent anthropic-batch / openai-batch)', () => {
  it('custom_id is the packet and the attempt, read back exactly; anything else is no request of ours', () => {
    expect(customId(P1, 3)).toBe(`${P1}-3`)
    expect(parseCustomId(`${P1}-3`)).toEqual({packet: P1, attempt: 3})
    expect(/^[a-zA-Z0-9_-]{1,64}$/.test(customId(P1, 1_000_000))).toBe(true)
    for (const bad of [`${P1}`, `${P1}-x`, `../${P1}-1`, 42, null]) expect(parseCustomId(bad)).toBeNull()
  })

  it('openai-batch sends exactly the openai-compatible chat body; anthropic-batch forces the tool with the same provider-safe schema', () => {
    const o = {packet: P1, attempt: 2, prompt: 'the rendered prompt', legoIds: ['L1', 'L2']}
    const openai = batchRequest('openai', settings, o)
    expect('line' in openai && JSON.parse(openai.line)).toEqual({custom_id: `${P1}-2`, method: 'POST', url: '/v1/chat/completions', body: chatBody({model: settings.model, prompt: o.prompt, schema: true, legoIds: o.legoIds})})
    const anthropic = batchRequest('anthropic', settings, o)
    const params = 'line' in anthropic ? JSON.parse(anthropic.line).params : null
    expect(params).toMatchObject({model: settings.model, messages: [{role: 'user', content: o.prompt}], tool_choice: {type: 'tool', name: 'wicker_worker_output'}})
    expect(params.tools[0].input_schema).toEqual(chatBody({model: 'm', prompt: '', schema: true, legoIds: o.legoIds}).response_format!.json_schema.schema)
    expect(batchRequest('openai', {...settings, maxContext: 2}, o)).toEqual({refused: expect.stringMatching(/over --max-context 2/)})
  })

  it('splits at the request count and at the bytes, never leaving a batch empty', () => {
    const lines = Array.from({length: 7}, (_, i) => ({line: 'x'.repeat(100 + i)}))
    expect(splitBatches(lines, {requests: 3, bytes: 1e9}).map((b) => b.length)).toEqual([3, 3, 1])
    // each line is 101..107 bytes with its separator, and 64 more are kept for the framing
    expect(splitBatches(lines, {requests: 100, bytes: 64 + 150}).map((b) => b.length)).toEqual([1, 1, 1, 1, 1, 1, 1])
    expect(splitBatches(lines, {requests: 100, bytes: 64 + 410}).map((b) => b.length)).toEqual([4, 3])
    expect(splitBatches(lines, {requests: 100, bytes: 64 + 409}).map((b) => b.length)).toEqual([3, 3, 1])
    // a single request larger than the limit still goes alone (the provider says what is wrong with it)
    expect(splitBatches([{line: 'y'.repeat(500)}], {requests: 10, bytes: 100}).map((b) => b.length)).toEqual([1])
    expect(BATCH_LIMITS).toEqual({anthropic: {requests: 100_000, bytes: 256 * 1024 ** 2}, openai: {requests: 50_000, bytes: 200 * 1024 ** 2}})
  })

  it('reads Anthropic results: succeeded (tool input), errored, expired, canceled, cut at max_tokens', () => {
    const doc = {course: 'pel', packet: P1, baskets: {}}
    expect(readAnthropicResult({custom_id: `${P1}-1`, result: {type: 'succeeded', message: {content: [{type: 'tool_use', name: 'wicker_worker_output', input: doc}], stop_reason: 'tool_use', usage: {input_tokens: 3000, cache_read_input_tokens: 10, output_tokens: 1600}}}})).toEqual({ok: true, content: JSON.stringify(doc), tokens: {input: 3010, output: 1600}})
    expect(readAnthropicResult({result: {type: 'errored', error: {type: 'error', error: {type: 'overloaded_error', message: 'Overloaded'}}}})).toMatchObject({ok: false, class: 'crash', message: expect.stringMatching(/overloaded_error: Overloaded/)})
    expect(readAnthropicResult({result: {type: 'expired'}})).toMatchObject({ok: false, class: 'crash', message: expect.stringMatching(/expired/)})
    expect(readAnthropicResult({result: {type: 'canceled'}})).toMatchObject({ok: false, class: 'crash', message: expect.stringMatching(/canceled/)})
    expect(readAnthropicResult({result: {type: 'succeeded', message: {content: [{type: 'text', text: '{"a'}], stop_reason: 'max_tokens', usage: {input_tokens: 1, output_tokens: 2}}}})).toMatchObject({ok: false, class: 'invalid-output', tokens: {input: 1, output: 2}})
  })

  it('reads OpenAI output and error lines through the chat reader: a 200, a 500 inside, batch_expired, batch_cancelled', () => {
    const body = {choices: [{message: {content: '{"x":1}'}, finish_reason: 'stop'}], usage: {prompt_tokens: 3000, completion_tokens: 1600}}
    expect(readOpenAiResult({custom_id: `${P1}-1`, response: {status_code: 200, body}, error: null})).toEqual({ok: true, content: '{"x":1}', tokens: {input: 3000, output: 1600}})
    expect(readOpenAiResult({response: {status_code: 500, body: {error: {message: 'boom'}}}, error: null})).toMatchObject({ok: false, class: 'crash', message: expect.stringMatching(/HTTP 500: boom/)})
    // a 429 or 401 inside an accepted batch is that request's failure, retried in the next batch
    expect(readOpenAiResult({response: {status_code: 429, body: {}}, error: null})).toMatchObject({ok: false, class: 'crash'})
    expect(readOpenAiResult({response: null, error: {code: 'batch_expired', message: 'not done in 24h'}})).toMatchObject({ok: false, class: 'crash', message: expect.stringMatching(/expired/)})
    expect(readOpenAiResult({response: null, error: {code: 'batch_cancelled'}})).toMatchObject({ok: false, class: 'crash', message: expect.stringMatching(/cancelled/)})
  })

  it('costs half the list price: 3,000 in and 1,600 out at $3/$15 is $0.0165', () => {
    expect(batchCostUsd({input: 3000, output: 1600}, {inputUsdPerMTok: 3, outputUsdPerMTok: 15})).toBeCloseTo(0.0165, 12)
    expect(batchCostUsd({input: 3000, output: 1600}, {inputUsdPerMTok: 2, outputUsdPerMTok: 8})).toBeCloseTo(0.0094, 12)
    expect(batchCostUsd(null, {inputUsdPerMTok: 3, outputUsdPerMTok: 15})).toBeNull()
  })
})

describe('batch agents in the ledger and the settings', () => {
  it('a start naming its batch is open (polled again), not a process left running', () => {
    const s = summarize([
      {event: 'start', packet: P1, attempt: 1, pid: null, at, batch: {provider: 'anthropic', id: 'msgbatch_1'}},
      {event: 'start', packet: P2, attempt: 1, pid: null, at, batch: {provider: 'anthropic', id: 'msgbatch_1'}},
      {event: 'end', packet: P2, attempt: 1, pid: null, at, class: 'ok'},
      {event: 'start', packet: P2, attempt: 2, pid: 7, at},
    ])
    expect(s.inBatch.map((e) => [e.packet, e.attempt, e.batch?.id])).toEqual([[P1, 1, 'msgbatch_1']])
    expect(s.unfinished.map((e) => [e.packet, e.attempt])).toEqual([[P2, 2]])
    expect(ledgerEntrySchema.safeParse({event: 'start', packet: P1, attempt: 1, pid: null, at, batch: {provider: 'anthropic', id: 'x', key: 'sk'}}).success).toBe(false)
  })

  it('a batch\'s requests go into the ledger in one write, each with the shard, read back as open batch requests', async () => {
    const file = join(tempDir(), 'ledger.ndjson')
    const {ledger} = await RunLedger.open(file, '2/3')
    await ledger.appendAll([P1, P2].map((packet) => ({event: 'start' as const, packet, attempt: 1, pid: null, at, batch: {provider: 'openai' as const, id: 'batch_1'}})))
    await ledger.appendAll([])
    const read = await readLedger(file)
    expect(read.entries.map((e) => [e.packet, e.shard])).toEqual([[P1, '2/3'], [P2, '2/3']])
    expect(summarize(read.entries).inBatch).toHaveLength(2)
    await expect(ledger.appendAll([{event: 'start', packet: P1, attempt: 1, pid: null, at, batch: {provider: 'openai', id: 'no spaces allowed? yes they are'.repeat(20)}}])).rejects.toThrow(/bug: ledger record does not check/)
  })

  it('a batch agent defaults to the provider and its key variable, which must be set; --no-schema is refused for anthropic-batch', () => {
    expect(openAiSettings('anthropic-batch', {model: 'claude-sonnet-4-5'}, {ANTHROPIC_API_KEY: 'k'}).settings).toEqual({baseUrl: 'https://api.anthropic.com/v1', model: 'claude-sonnet-4-5', apiKeyEnv: 'ANTHROPIC_API_KEY', schema: true, maxContext: null})
    expect(openAiSettings('openai-batch', {model: 'gpt-4.1'}, {OPENAI_API_KEY: 'k'}).settings).toMatchObject({baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY'})
    expect(() => openAiSettings('anthropic-batch', {model: 'm'}, {})).toThrow(/reads its API key from ANTHROPIC_API_KEY: that environment variable is not set/)
    expect(() => openAiSettings('openai-batch', {}, {OPENAI_API_KEY: 'k'})).toThrow(/--agent openai-batch needs --model/)
    expect(() => openAiSettings('anthropic-batch', {model: 'm', schema: false}, {ANTHROPIC_API_KEY: 'k'})).toThrow(/--no-schema is not for --agent anthropic-batch/)
    expect(openAiSettings('anthropic-batch', {model: 'm', apiKeyEnv: 'MY_KEY'}, {MY_KEY: 'k'}).settings?.apiKeyEnv).toBe('MY_KEY')
  })
})
