import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {tempDir} from './fs.js'

const BUILTIN = fileURLToPath(new URL('../../dist/agent/builtin.js', import.meta.url))

/**
 * Fake claude, codex and gemini executables that reproduce their documented headless outputs
 * (shared/research/agent-fan-out.md). FAKE_MODE picks the behaviour; for a good answer they run the
 * built-in generator for the packet in $WICKER_PACKET and wrap its JSON the way the real CLI would.
 * FAKE_STATE is a folder for "fail the first time, then succeed" behaviours.
 */
const COMMON = String.raw`
const {spawnSync} = require('node:child_process')
const fs = require('node:fs')
const mode = process.env.FAKE_MODE || 'ok'
let stdin = ''
process.stdin.on('data', (d) => (stdin += d))
process.stdin.on('end', main)
function baskets(packetFile = process.env.WICKER_PACKET) {
  const r = spawnSync(process.execPath, [${JSON.stringify(BUILTIN)}], {env: {...process.env, WICKER_PACKET: packetFile, WICKER_OUTPUT: '', WICKER_BUILTIN_FAIL: ''}, input: '', encoding: 'utf8'})
  return r.stdout.trim()
}
function firstTime() {
  const marker = require('node:path').join(process.env.FAKE_STATE, require('node:path').basename(process.env.WICKER_PACKET) + '.seen')
  if (fs.existsSync(marker)) return false
  fs.writeFileSync(marker, '1')
  return true
}
if (process.env.FAKE_RECORD) fs.appendFileSync(process.env.FAKE_RECORD, JSON.stringify({argv: process.argv.slice(2), packet: process.env.WICKER_PACKET}) + '\n')
`

/**
 * claude -p --output-format stream-json --verbose: NDJSON events (system init, assistant and user
 * messages, rate_limit_event, a final result), in the shapes Claude Code prints them.
 */
const CLAUDE = String.raw`
const out = (e) => process.stdout.write(JSON.stringify(e) + '\n')
const init = () => out({type: 'system', subtype: 'init', cwd: process.cwd(), session_id: 's1', tools: ['Read', 'Write', 'Edit'], mcp_servers: [], model: 'claude-fake', permissionMode: 'acceptEdits', apiKeySource: 'none'})
const say = (content) => out({type: 'assistant', message: {id: 'm1', type: 'message', role: 'assistant', model: 'claude-fake', content, stop_reason: null, usage: {input_tokens: 3, output_tokens: 2}}, session_id: 's1'})
const limitEvent = (status, resetsAt) => out({type: 'rate_limit_event', rate_limit_info: {status, resetsAt, rateLimitType: 'five_hour', overageStatus: 'rejected', overageDisabledReason: 'org_level_disabled', isUsingOverage: false}, uuid: 'u1', session_id: 's1'})
const result = (fields) => out({type: 'result', subtype: 'success', is_error: false, duration_ms: 40, num_turns: 3, session_id: 's1', ...fields})
/**
 * An orchestrator session: reads the packets and their output files from the prompt on stdin and
 * writes the outputs of every other packet (the 1st, 3rd…), as a session whose workers did not all
 * finish; 'orchestrate-hang' starts a worker process and both hang.
 */
function orchestrate() {
  const path = require('node:path')
  const packets = [...stdin.matchAll(/^- (p[0-9a-f]{15}): prompt (.+)\n  output (.+)$/gm)].map((m) => ({id: m[1], prompt: m[2], output: m[3]}))
  if (process.env.FAKE_RECORD) fs.appendFileSync(process.env.FAKE_RECORD, JSON.stringify({session: process.env.WICKER_SESSION, packets: packets.map((p) => p.id)}) + '\n')
  if (mode === 'orchestrate-hang') {
    const worker = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'})
    fs.writeFileSync(path.join(process.env.FAKE_STATE, 'pids'), JSON.stringify([process.pid, worker.pid]))
    say([{type: 'tool_use', id: 't0', name: 'Task', input: {description: 'worker', prompt: 'packet'}}])
    return setInterval(() => {}, 1000)
  }
  packets.forEach((p, i) => {
    if (i % 2 !== 0) return
    const packetFile = path.join(path.dirname(path.dirname(p.prompt)), 'packets', p.id + '.json')
    fs.writeFileSync(p.output, baskets(packetFile))
  })
  result({result: packets.map((p, i) => p.id + (i % 2 === 0 ? ' done' : ' failed: the worker stopped')).join('\n'), total_cost_usd: 0.04, usage: {input_tokens: 4000, output_tokens: 2000}})
}
function main() {
  if (mode === 'hang') return setInterval(() => {}, 1000)
  init()
  if (mode.startsWith('orchestrate')) return orchestrate()
  if (mode === 'stream-hang') { say([{type: 'text', text: 'Reading the packet.'}]); return setInterval(() => {}, 1000) }
  if (mode === 'auth') { result({is_error: true, result: 'Invalid API key · Please run /login'}); process.exit(1) }
  if (mode === 'error-result') {
    // the agent's own work holds failure words; only what it says about how it went may be read for them
    say([{type: 'tool_use', id: 't1', name: 'Write', input: {file_path: 'x.json', content: 'forbidden 401 quota exceeded zorblat'}}])
    out({type: 'user', message: {role: 'user', content: [{type: 'tool_result', tool_use_id: 't1', content: 'Unauthorized: 403 forbidden'}]}, session_id: 's1'})
    result({is_error: true, api_error_status: 500, result: 'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}'}); process.exit(0)
  }
  if (mode === 'ratelimit-once' && firstTime()) { process.stdout.write("You've hit your limit · resets in 1s\n"); process.exit(1) }
  if (mode === 'rejected-once' && firstTime()) {
    // the limit is hit: a structured reset 2 s ahead, and words naming another reset that must not win
    const resetsAt = Math.ceil(Date.now() / 1000) + 2
    fs.writeFileSync(require('node:path').join(process.env.FAKE_STATE, require('node:path').basename(process.env.WICKER_PACKET) + '.reset'), String(resetsAt))
    limitEvent('rejected', resetsAt)
    say([{type: 'text', text: "You've hit your limit · resets in 40s"}])
    result({is_error: true, num_turns: 1, result: "You've hit your limit · resets in 40s", total_cost_usd: 0, usage: {input_tokens: 0, output_tokens: 0}})
    process.exit(1)
  }
  if (mode === 'garbage') { result({result: 'Here you go: {"baskets": {"S0001L01": [}'}); return }
  const json = baskets()
  say([{type: 'text', text: 'Writing the baskets.'}])
  // an allowed_warning is news, not a failure: the run goes on
  limitEvent('allowed_warning', Math.ceil(Date.now() / 1000) + 3600)
  if (mode === 'write') {
    say([{type: 'tool_use', id: 't2', name: 'Write', input: {file_path: process.env.WICKER_OUTPUT, content: json}}])
    fs.writeFileSync(process.env.WICKER_OUTPUT, json)
    out({type: 'user', message: {role: 'user', content: [{type: 'tool_result', tool_use_id: 't2', content: 'File written'}]}, session_id: 's1'})
    result({result: 'Done: the baskets are in the output file.', total_cost_usd: 0.02, usage: {input_tokens: 1000, output_tokens: 500, cache_read_input_tokens: 200, cache_creation_input_tokens: 0}})
    return
  }
  result({result: 'Done. Here are the baskets:\n` + '```json' + String.raw`\n' + json + '\n` + '```' + String.raw`', total_cost_usd: 0.0125, usage: {input_tokens: 1200, output_tokens: 800, cache_read_input_tokens: 0, cache_creation_input_tokens: 0}})
}`

const CODEX = String.raw`
function main() {
  const out = (e) => process.stdout.write(JSON.stringify(e) + '\n')
  out({type: 'thread.started', thread_id: 't-1'})
  out({type: 'turn.started'})
  if (mode === 'turn-failed') { out({type: 'error', message: 'stream disconnected before completion'}); out({type: 'turn.failed', error: {message: 'stream disconnected before completion'}}); process.exit(0) }
  if (mode === 'usage-limit') { out({type: 'error', message: "You've hit your usage limit. Try again in 1 seconds."}); out({type: 'turn.failed', error: {message: 'usage limit'}}); process.exit(1) }
  out({type: 'item.completed', item: {id: 'i1', type: 'agent_message', text: baskets()}})
  out({type: 'turn.completed', usage: {input_tokens: 900, cached_input_tokens: 100, output_tokens: 700}})
}`

const GEMINI = String.raw`
function main() {
  if (mode === 'bad-input') { process.stdout.write(JSON.stringify({error: {type: 'FatalInputError', message: 'invalid flag', code: 42}}) + '\n'); process.exit(42) }
  process.stdout.write(JSON.stringify({response: baskets(), stats: {models: {'gemini-2.5-pro': {api: {totalRequests: 1}, tokens: {prompt: 1500, candidates: 600, total: 2100}}}}}) + '\n')
}`

export function fakeAgents(): {bin: string; state: string} {
  const bin = tempDir('wicker-fake-bin-')
  const state = tempDir('wicker-fake-state-')
  mkdirSync(bin, {recursive: true})
  for (const [name, body] of [['claude', CLAUDE], ['codex', CODEX], ['gemini', GEMINI]] as const) {
    const file = join(bin, name)
    writeFileSync(file, `#!/usr/bin/env node\n${COMMON}\n${body}\n`)
    chmodSync(file, 0o755)
  }
  return {bin, state}
}
