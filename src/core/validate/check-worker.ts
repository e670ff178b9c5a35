/**
 * A check worker (parallel.ts). Started before the course is opened, it waits for the main thread's
 * go (canon read: the two reads' peaks of memory are not added), loads the course itself, builds
 * its own GATE indexes, then checks the chunks of baskets it claims from the front (the main thread
 * claims from the back): a chunk of ByteBaskets over canon's shared bytes it makes itself from the
 * spans the main thread gave it before the go (SharedBaskets), any other as the main thread posts
 * it. It posts their findings and counts once, at the end. It never reports an error of its own: anything that goes wrong here is `failed`, and
 * the main thread checks those baskets itself, so a user's mistake gives the message and exit code
 * it gives without a worker.
 */
import {receiveMessageOnPort, workerData, type MessagePort} from 'node:worker_threads'

import type {CanonBasket} from '../canon/model.js'
import {emptyCanon} from '../canon/read.js'
import {loadCourse} from '../course/load.js'
import {basketChecker} from './checker.js'
import type {Finding} from './model.js'
import {CTRL, sharedChunk, THEIRS, type SharedBaskets, type WorkerDone, type WorkerInit} from './parallel.js'
import {decodeChunk, type WireChunk} from './wire.js'

const {init, port, ctrl: ctrlBuffer, claims: claimsBuffer} = workerData as {init: WorkerInit; port: MessagePort; ctrl: SharedArrayBuffer; claims: SharedArrayBuffer}
const ctrl = new Int32Array(ctrlBuffer)
const claims = new Int32Array(claimsBuffer)

/** The next chunk the main thread posted (they come in order; those made from shared bytes are not posted), waiting for it. */
function nextChunk(): WireChunk {
  for (;;) {
    const posted = Atomics.load(ctrl, CTRL.posted)
    const message = receiveMessageOnPort(port)
    if (message) return message.message as WireChunk
    // a post counted before its message can be received: look again soon
    Atomics.wait(ctrl, CTRL.posted, posted, 5)
  }
}

/** The baskets in shared memory the main thread posted before its go. */
function sharedBaskets(): SharedBaskets {
  for (;;) {
    const message = receiveMessageOnPort(port)
    if (message) return message.message as SharedBaskets
    Atomics.wait(ctrl, CTRL.posted, 0, 5)
  }
}

/** The baskets of chunk `index`, as the main thread posted them. */
function posted(index: number): CanonBasket[] {
  const chunk = nextChunk()
  if (chunk.index !== index) throw new Error(`chunk ${chunk.index} came for ${index}`)
  return decodeChunk(chunk)
}

async function main(): Promise<WorkerDone> {
  // the main thread's go: it has read canon
  while (Atomics.load(ctrl, CTRL.go) === 0) Atomics.wait(ctrl, CTRL.go, 0)
  const shared = Atomics.load(ctrl, CTRL.bytes) === 1 ? sharedBaskets() : null
  if (shared && shared.type !== 'bytes') throw new Error(`${String(shared.type)} came for the shared baskets`)
  const course = await loadCourse(init.dir, {orientation: init.orientation})
  const checker = basketChecker(course, emptyCanon(init.canonFile), {gate: init.gate, validate: init.validate}, init.rates)
  Atomics.store(ctrl, CTRL.ready, 1)
  Atomics.notify(ctrl, CTRL.ready)
  const count = Atomics.load(ctrl, CTRL.chunks)
  const done: WorkerDone['chunks'] = []
  for (let i = 0; i < count; i++) {
    // a chunk the main thread took: it took every one after it too
    if (Atomics.compareExchange(claims, i, 0, THEIRS) !== 0) break
    Atomics.store(ctrl, CTRL.front, i + 1)
    const baskets = shared?.whole[i] === 1 ? sharedChunk(shared, i) : posted(i)
    if (i === init.failAt) throw new Error(`failing at chunk ${i}, as the test asked`)
    const findings: Finding[] = []
    checker.findings = findings
    for (const basket of baskets) checker.check(basket)
    done.push({index: i, findings})
  }
  return {type: 'done', chunks: done, phrases: checker.phrases, gateViolations: checker.gateViolations, rates: checker.rates, course: {legos: course.legos.length, seeds: course.seeds.length, orientation: JSON.stringify(course.orientation)}}
}

main().then(
  (done) => port.postMessage(done),
  (error: unknown) => port.postMessage({type: 'failed', message: error instanceof Error ? error.message : String(error)}),
)
