import {describe, expect, it} from 'vitest'

import {claudeRateLimit, makeAgent} from '../../../src/core/launch/agents.js'
import {classify, type AttemptFacts} from '../../../src/core/launch/classify.js'

/** claude's stream-json lines, as Claude Code prints them with -p --output-format stream-json --verbose. */
const NOW = Date.UTC(2026, 11, 2, 18, 0, 0)
const line = (e: object) => JSON.stringify(e)
const init = line({type: 'system', subtype: 'init', session_id: 's1', tools: ['Read', 'Write'], model: 'claude-fake'})
const assistant = (content: object[]) => line({type: 'assistant', message: {role: 'assistant', content}, session_id: 's1'})
const limit = (info: object) => line({type: 'rate_limit_event', rate_limit_info: info, session_id: 's1'})
const result = (fields: object) => line({type: 'result', subtype: 'success', is_error: false, ...fields})
const stream = (...lines: string[]) => `${lines.join('\n')}\n`
const claude = makeAgent('claude', {})
const read = (stdout: string) => claude.read(stdout, 0, NOW)

/** The facts of an attempt whose output did not check, from what claude printed. */
function facts(stdout: string, exitCode: number): AttemptFacts {
  const r = claude.read(stdout, exitCode, NOW)
  return {exitCode, signal: null, timedOut: null, spawnError: null, text: r.said ?? stdout, agentError: r.error, authExit: false, output: {valid: false, reason: 'no output'}, rateLimit: r.rateLimit}
}

describe('claude: reading the stream-json events', () => {
  it('runs claude with stream-json and --verbose (stream-json needs it with -p), keeping the other arguments', () => {
    const args = claude.args({packetId: 'p', packetFile: 'f', promptFile: 'q', outputFile: 'o', run: 'r', attempt: 1})
    expect(args.slice(0, 4)).toEqual(['-p', '--output-format', 'stream-json', '--verbose'])
    expect(args).toEqual(expect.arrayContaining(['--max-turns', '30', '--permission-mode', 'acceptEdits', '--strict-mcp-config']))
  })

  it('takes the final result event: its text, tokens (cache included) and cost', () => {
    const r = read(stream(init, assistant([{type: 'text', text: 'working on the vrendle baskets'}]), result({result: '{"baskets": {}}', total_cost_usd: 0.5, usage: {input_tokens: 10, cache_read_input_tokens: 5, cache_creation_input_tokens: 1, output_tokens: 7}})))
    expect(r).toMatchObject({text: '{"baskets": {}}', error: null, tokens: {input: 16, output: 7}, costUsd: 0.5, rateLimit: null})
  })

  it('with no result event (stopped mid-run), the text is the last assistant message, never the whole transcript', () => {
    const r = read(stream(init, assistant([{type: 'text', text: 'first thought'}]), assistant([{type: 'tool_use', id: 't', name: 'Read', input: {}}, {type: 'text', text: 'second thought'}])))
    expect(r).toMatchObject({text: 'second thought', error: null, tokens: null, costUsd: null})
  })

  it('still reads one JSON object (--output-format json), pretty or not', () => {
    expect(read(JSON.stringify({type: 'result', is_error: false, result: 'plonk'}, null, 2))).toMatchObject({text: 'plonk', error: null})
  })

  it('a rejected rate_limit_event is the limit hit, with its resetsAt (epoch seconds) as ms from now', () => {
    const resetsAt = NOW / 1000 + 90
    const r = read(stream(init, limit({status: 'rejected', resetsAt, rateLimitType: 'five_hour', overageStatus: 'rejected', isUsingOverage: false}), result({is_error: true, result: "You've hit your limit · resets 7pm (Etc/UTC)"})))
    expect(r.rateLimit).toEqual({resetInMs: 90_000})
    expect(r.error).toMatch(/hit your limit/)
  })

  it.each([
    ['allowed', {status: 'allowed', resetsAt: NOW / 1000 + 60}],
    ['allowed_warning', {status: 'allowed_warning', resetsAt: NOW / 1000 + 60, utilization: 0.9}],
    ['allowed with overage rejected but not in use', {status: 'allowed', resetsAt: NOW / 1000 + 60, overageStatus: 'rejected', isUsingOverage: false}],
  ])('%s is news, not a limit hit', (_name, info) => {
    expect(claudeRateLimit([{type: 'rate_limit_event', rate_limit_info: info}], NOW)).toBeNull()
  })

  it('overage in use and rejected is a limit hit, resetting at overageResetsAt; milliseconds are read as such', () => {
    expect(claudeRateLimit([{type: 'rate_limit_event', rate_limit_info: {status: 'allowed', isUsingOverage: true, overageStatus: 'rejected', overageResetsAt: NOW + 5000, resetsAt: NOW / 1000 + 3600}}], NOW)).toEqual({resetInMs: 5000})
  })

  it('two limits hit: work goes on at the later reset; a reset already past is no reset', () => {
    const events = [
      {type: 'rate_limit_event', rate_limit_info: {status: 'rejected', resetsAt: NOW / 1000 + 10, rateLimitType: 'five_hour'}},
      {type: 'rate_limit_event', rate_limit_info: {status: 'rejected', resetsAt: NOW / 1000 + 30, rateLimitType: 'seven_day'}},
    ]
    expect(claudeRateLimit(events, NOW)).toEqual({resetInMs: 30_000})
    expect(claudeRateLimit([{type: 'rate_limit_event', rate_limit_info: {status: 'rejected', resetsAt: NOW / 1000 - 5}}], NOW)).toEqual({resetInMs: null})
    expect(claudeRateLimit([{type: 'rate_limit_event', rate_limit_info: {status: 'rejected', resetsAt: 'soon'}}], NOW)).toEqual({resetInMs: null})
  })
})

describe('classifying a claude attempt from its events', () => {
  it('a limit hit with an error result is rate-limited, and the structured reset wins over the words', () => {
    const out = stream(init, limit({status: 'rejected', resetsAt: NOW / 1000 + 2}), result({is_error: true, result: "You've hit your limit · resets in 40s"}))
    expect(classify(facts(out, 1))).toMatchObject({class: 'rate-limited', resetInMs: 2000})
  })

  it('a limit hit whose reset is not given falls back to the words', () => {
    const out = stream(init, limit({status: 'rejected'}), result({is_error: true, result: "You've hit your limit · resets in 40s"}))
    expect(classify(facts(out, 1))).toMatchObject({class: 'rate-limited', resetInMs: 40_000})
  })

  it('an allowed_warning event before an error result is not a rate limit (the event\'s own words are not read)', () => {
    const out = stream(init, limit({status: 'allowed_warning', resetsAt: NOW / 1000 + 3600}), result({is_error: true, result: 'API Error: 500 internal'}))
    expect(classify(facts(out, 0))).toMatchObject({class: 'crash', resetInMs: null})
  })

  it('failure words in the agent\'s own work (a tool call, a tool result) are not read as an auth failure', () => {
    const out = stream(init, assistant([{type: 'tool_use', id: 't', name: 'Write', input: {content: 'forbidden 401 quota'}}]), line({type: 'user', message: {content: [{type: 'tool_result', content: 'Unauthorized 403'}]}}), result({is_error: true, result: 'API Error: 500 internal'}))
    expect(classify(facts(out, 0))).toMatchObject({class: 'crash'})
  })

  it('what the CLI prints as plain words before any event still counts (a subscription limit, bad credentials)', () => {
    expect(classify(facts(stream(init, "You've hit your limit · resets in 3s"), 1))).toMatchObject({class: 'rate-limited', resetInMs: 3000})
    expect(classify(facts(stream(init, result({is_error: true, result: 'Invalid API key · Please run /login'})), 1))).toMatchObject({class: 'auth'})
  })
})
