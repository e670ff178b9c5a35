import type {StagedBasket} from '../../bench/synth/staging.js'

/**
 * The hostile staging files extract's tests use (test/unit/extract/hostile.test.ts) and upload
 * intake's: name → [content, the problem kind extract reports], each built around the course's
 * LEGO `id` and its good basket `good`. maxFileSize 2048 makes too-large.json too large.
 */
export function hostileCorpus(id: string, good: StagedBasket): Record<string, [string | Buffer, string]> {
  const phrases = good.phrases.map((p) => ({known: p.known, target: p.target}))
  const basket = {practice_phrases: phrases}
  const text = (v: unknown) => JSON.stringify(v)
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)

  return {
    'truncated-string.json': [`{"${id}": {"practice_phrases": [{"known": "ab`, 'invalid-json'],
    'truncated-array.json': [`{"${id}": {"practice_phrases": [["a", "b"], `, 'invalid-json'],
    'trailing-comma.json': [`{"${id}": {"practice_phrases": [["a", "b"],]}}`, 'invalid-json'],
    'single-quotes.json': [`{'${id}': {'practice_phrases': [['a', 'b']]}}`, 'invalid-json'],
    'python-literals.json': [`{"${id}": {"practice_phrases": [["a", "b", None, True]]}}`, 'invalid-json'],
    'ellipsis.json': [`{"${id}": {"practice_phrases": [["a", "b"], ...]}}`, 'invalid-json'],
    'ndjson.json': [`${text({[id]: basket})}\n${text({[id]: basket})}\n`, 'invalid-json'],
    'error-message.txt': ['Error: rate limit exceeded, please try again later.', 'not-baskets'],
    'prose-only.md': ['I could not finish the task.', 'not-baskets'],
    'empty.json': ['', 'empty'],
    'whitespace.json': ['   \n\t  ', 'empty'],
    'null.json': ['null', 'not-baskets'],
    'number.json': ['42', 'not-baskets'],
    'string.json': ['"baskets"', 'not-baskets'],
    'true.json': ['true', 'not-baskets'],
    'empty-object.json': ['{}', 'not-baskets'],
    'empty-array.json': ['[]', 'not-baskets'],
    'array-of-numbers.json': ['[1, 2, 3]', 'not-baskets'],
    'proto-top.json': [`{"__proto__": {"polluted": "yes"}, "${id}": ${text(basket)}}`, 'hostile'],
    'proto-nested.json': [`{"${id}": {"practice_phrases": [{"known": "a", "target": "b", "__proto__": {"polluted": "yes"}}]}}`, 'hostile'],
    'constructor.json': [`{"${id}": {"constructor": {"prototype": {"polluted": "yes"}}, "practice_phrases": []}}`, 'hostile'],
    'prototype-key.json': [`{"baskets": {"${id}": {"prototype": 1, "practice_phrases": []}}}`, 'hostile'],
    'deep-nesting.json': [deep(200), 'hostile'],
    'deep-object.json': [`{"${id}": ${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`, 'hostile'],
    'huge-integer.json': [`{"${id}": {"practice_phrases": [["a", "b", null, 123456789012345678901234567890]]}}`, 'hostile'],
    'infinite.json': [`{"${id}": {"practice_phrases": [["a", "b", null, 1e400]]}}`, 'hostile'],
    'invalid-utf8.json': [Buffer.concat([Buffer.from(`{"${id}": {"practice_phrases": [["a`), Buffer.from([0xc3, 0x28]), Buffer.from('", "b"]]}}')]), 'encoding'],
    'overlong-utf8.json': [Buffer.concat([Buffer.from('{"a": "'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), 'encoding'],
    'utf16-no-bom.json': [Buffer.from(text({[id]: basket}), 'utf16le'), 'encoding'],
    'binary.bin': [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), 'encoding'],
    'path-id.json': [text({baskets: {'../../etc/passwd': basket}}), 'bad-id'],
    'path-id-windows.json': [text({baskets: {'C:\\x\\S0001L01': basket}}), 'bad-id'],
    'lowercase-id.json': [text({baskets: {[id.toLowerCase()]: basket}}), 'bad-id'],
    'padded-id.json': [text({baskets: {[` ${id} `]: basket}}), 'bad-id'],
    'fullwidth-id.json': [text({baskets: {[id.replace('S', 'Ｓ')]: basket}}), 'bad-id'],
    'numeric-ids.json': [text({'0': {practice_phrases: phrases}, '1': {legoId: id, practice_phrases: phrases}}), 'bad-id'],
    'array-for-object.json': [text({baskets: {[id]: {practice_phrases: 'ten phrases'}}}), 'bad-phrase'],
    'object-for-array.json': [text({seed_id: 'S0001', baskets: [[1, 2]]}), 'bad-id'],
    'null-basket.json': [text({baskets: {[id]: null}}), 'bad-basket'],
    'null-phrases.json': [text({baskets: {[id]: {practice_phrases: [null, 7, 'x']}}}), 'bad-phrase'],
    'empty-phrases.json': [text({baskets: {[id]: {practice_phrases: []}}}), 'invalid-basket'],
    'blank-side.json': [text({baskets: {[id]: {practice_phrases: [{known: '  ', target: good.lego.target}]}}}), 'invalid-basket'],
    'bare-list-no-id.json': [text([['a', 'b']]), 'bad-id'],
    'swarm-upload.json': [text({browserId: 'x', agentId: 'y', seedRange: 'S0001-S0005', seeds: [{seed_id: 'S0001', legos: []}]}), 'not-baskets'],
    'too-large.json': [`{"pad": "${'x'.repeat(3000)}"}`, 'too-large'],
    'duplicate-id.json': [`{"${id}": ${text(basket)}, "${id}": {"practice_phrases": []}}`, 'hostile'],
    'duplicate-nested.json': [`{"${id}": {"practice_phrases": [{"known": "a", "target": "b", "target": "c"}]}}`, 'hostile'],
  }
}
