// A process answering an Idempotency-Key (test/unit/serve/idempotency.test.ts), from the built
// program: argv <course dir> <key> <body hash> <hold|finish>. Prints what begin said as one JSON
// line; with `hold` it then waits, in flight, until it is killed; with `finish` it stores an answer and exits.
const [courseDir, key, bodyHash, mode] = process.argv.slice(2)
const {idempotencyStore} = await import(new URL('../../dist/core/serve/idempotency.js', import.meta.url))
const store = idempotencyStore(courseDir)
const begun = await store.begin(key, bodyHash)
if (mode === 'finish' && begun.state === 'new') await store.finish(key, {status: 201, body: {file: 'staging/zeb.json', by: process.pid}})
process.stdout.write(`${JSON.stringify(begun)}\n`)
if (mode === 'hold') setInterval(() => undefined, 60_000)
