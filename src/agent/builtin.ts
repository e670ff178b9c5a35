/**
 * wicker's built-in agent: a real, deterministic, offline basket writer, spawned by `wicker launch`
 * like any agent CLI. For each LEGO of its packet it builds phrases from whole LEGO chunks the packet
 * allows (so they pass GATE under every definition), known and target side in step, the LEGO in every
 * phrase, from short to long, with the seed sentence last for a final LEGO. Its phrases are honest
 * but mechanical: it exists for demos, tests, benchmarks and dry runs of a pipeline.
 *
 * Contract: the packet file is in WICKER_PACKET, the output goes to WICKER_OUTPUT (or stdout), the
 * attempt number is in WICKER_ATTEMPT. The prompt on stdin is read and not needed.
 *
 * Knobs for tests and benchmarks (environment):
 *   WICKER_BUILTIN_DELAY_MS     wait this long before answering (a slow success)
 *   WICKER_BUILTIN_FAIL         crash | garbage | hang | silent-hang | rate-limit | auth | error-result
 *   WICKER_BUILTIN_FAIL_RATE    share of packet attempts that fail that way (default 1), chosen by hash
 *   WICKER_BUILTIN_FAIL_UNTIL   fail only attempts up to this number (later retries succeed)
 */
import {readFileSync, writeFileSync} from 'node:fs'

import {cover, EntryTrie} from '../core/gate/cover.js'
import {buildBasket} from '../core/generate/basket-builder.js'
import {hashSeed, Random} from '../core/generate/random.js'
import type {Packet} from '../core/segments/packets.js'
import {units} from '../core/text/normalize.js'

const env = process.env
const attempt = Number(env.WICKER_ATTEMPT ?? 1)
const parent = process.ppid

// An agent never outlives the launcher that started it.
setInterval(() => {
  if (process.ppid !== parent) process.exit(137)
}, 200).unref()

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return ''
  let text = ''
  for await (const chunk of process.stdin) text += chunk
  return text
}

function failure(packetId: string): string | null {
  const mode = env.WICKER_BUILTIN_FAIL
  if (!mode) return null
  if (env.WICKER_BUILTIN_FAIL_UNTIL && attempt > Number(env.WICKER_BUILTIN_FAIL_UNTIL)) return null
  const rate = Number(env.WICKER_BUILTIN_FAIL_RATE ?? 1)
  return hashSeed(`${packetId}:${attempt}`) / 2 ** 32 < rate ? mode : null
}

function baskets(packet: Packet): Record<string, {practice_phrases: Array<{known: string; target: string}>}> {
  const unspaced = packet.legos.some((l) => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(l.target))
  const out: Record<string, {practice_phrases: Array<{known: string; target: string}>}> = {}
  for (const lego of packet.legos) {
    const random = new Random(hashSeed(`${packet.id}:${lego.id}`))
    // The most recent allowed chunks: about half of a basket's vocabulary from the last seeds.
    const allowed = lego.allowed.map((i) => packet.chunks[i]!).sort((a, b) => b.from - a.from).slice(0, 60)
    const trie = new EntryTrie<number>()
    for (const chunk of [...allowed, lego]) trie.upsert(units(chunk.target), () => 0)
    const seed = packet.seeds.find((s) => s.id === lego.seed)!
    const phrases = buildBasket(
      {
        lego,
        chunks: allowed,
        seedSentence: lego.isFinal ? {known: seed.known, target: seed.target} : null,
        size: 10,
        joiner: {known: ' ', target: unspaced ? '' : ' '},
        maxWords: 15,
        countLegos: (target) => cover(units(target), trie, () => true).entries,
      },
      random,
    )
    out[lego.id] = {practice_phrases: phrases}
  }
  return out
}

async function main(): Promise<void> {
  await readStdin()
  const packetFile = env.WICKER_PACKET
  if (!packetFile) {
    process.stderr.write('wicker builtin agent: WICKER_PACKET is not set (it is started by `wicker launch`)\n')
    process.exit(2)
  }
  const packet = JSON.parse(readFileSync(packetFile, 'utf8')) as Packet
  const delay = Number(env.WICKER_BUILTIN_DELAY_MS ?? 0)
  if (delay > 0) await new Promise((r) => setTimeout(r, delay))

  switch (failure(packet.id)) {
    case 'crash':
      process.stderr.write('Error: the builtin agent crashed on purpose\n    at main (builtin.js:1:1)\n')
      process.exit(1)
    // eslint-disable-next-line no-fallthrough
    case 'garbage':
      process.stdout.write('I wrote the baskets! {"baskets": {"oops": [}\n')
      return
    case 'hang':
      process.stdout.write('thinking…\n')
      await new Promise(() => setInterval(() => process.stdout.write('.'), 1000))
      return
    case 'silent-hang':
      await new Promise(() => setInterval(() => undefined, 1000))
      return
    case 'rate-limit':
      process.stderr.write("Server is temporarily limiting requests (not your usage limit). You've hit your limit · resets in 2s\n")
      process.exit(1)
    // eslint-disable-next-line no-fallthrough
    case 'auth':
      process.stderr.write('Invalid API key · Please run /login (401)\n')
      process.exit(1)
    // eslint-disable-next-line no-fallthrough
    case 'error-result':
      process.stdout.write(`${JSON.stringify({type: 'result', subtype: 'success', is_error: true, result: 'API Error: 500 internal error'})}\n`)
      return
  }

  const document = {course: packet.course, packet: packet.id, agent: 'wicker-builtin', baskets: baskets(packet)}
  const text = `${JSON.stringify(document, null, 2)}\n`
  if (env.WICKER_OUTPUT) {
    writeFileSync(env.WICKER_OUTPUT, text)
    process.stdout.write(`${JSON.stringify({type: 'result', is_error: false, baskets: packet.legos.length})}\n`)
  } else process.stdout.write(text)
}

await main()
