#!/usr/bin/env node
/**
 * An agent built to misbehave, for launch's failure-mode tests (run as `--agent command`).
 *
 *   MISBEHAVE_MODE     hang | ignore-term | daemon | daemon-exit | hold-stdout | fifo | endless |
 *                      answer-then-endless | split-utf8
 *   MISBEHAVE_STATE    a folder: `pids` gets "<pid> <what>" for every process it starts
 *   MISBEHAVE_GOOD     the first N attempts (claimed through files in the state folder) behave: they
 *                      answer with the built-in generator's baskets and exit 0
 *   MISBEHAVE_BUILTIN  path of dist/agent/builtin.js
 *
 * Every process it starts inherits its environment, so a test can find them all again by a tag of
 * its own (MISBEHAVE_TAG) in /proc/<pid>/environ, whatever the launcher does or does not track.
 */
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {appendFileSync, closeSync, openSync} from 'node:fs'
import {join} from 'node:path'

const mode = process.env.MISBEHAVE_MODE ?? 'hang'
const state = process.env.MISBEHAVE_STATE
const pidsFile = join(state, 'pids')
const record = (pid, what) => appendFileSync(pidsFile, `${pid} ${what}\n`)
record(process.pid, `agent ${mode}`)

function claimGood() {
  for (let i = 0; i < Number(process.env.MISBEHAVE_GOOD ?? 0); i++) {
    try {
      closeSync(openSync(join(state, `good-${i}`), 'wx'))
      return true
    } catch {
      // taken by another attempt
    }
  }
  return false
}

/** The built-in generator's answer for this packet: into $WICKER_OUTPUT, or returned when toStdout. */
function answer(toStdout = false) {
  const env = {...process.env, WICKER_BUILTIN_DELAY_MS: '', WICKER_BUILTIN_FAIL: ''}
  if (toStdout) env.WICKER_OUTPUT = ''
  const r = spawnSync(process.execPath, [process.env.MISBEHAVE_BUILTIN], {env, input: '', encoding: 'utf8'})
  if (r.status !== 0) process.exit(3)
  return r.stdout
}

const forever = () => setInterval(() => undefined, 60_000)
const sleeper = (options) => {
  const child = spawn('sleep', ['300'], options)
  record(child.pid, 'sleep')
  child.unref()
  return child
}
/** Escapes the process group twice over: a setsid daemon, and a double-forked one reparented to init. */
const daemons = () => {
  sleeper({detached: true, stdio: 'ignore'})
  spawn('sh', ['-c', `sleep 300 </dev/null >/dev/null 2>&1 & echo "$! double-fork" >> '${pidsFile}'`], {detached: true, stdio: 'ignore'}).unref()
}

if (claimGood()) {
  answer()
  process.exit(0)
}

switch (mode) {
  case 'hang': // `sleep 300 & sleep 300 & wait`
    sleeper({stdio: 'ignore'})
    sleeper({stdio: 'ignore'})
    forever()
    break
  case 'ignore-term': {
    for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => undefined)
    const sh = spawn('sh', ['-c', "trap '' TERM INT HUP; sleep 300; sleep 300"], {stdio: 'ignore'})
    record(sh.pid, 'sh ignoring TERM')
    forever()
    break
  }
  case 'daemon':
    daemons()
    forever()
    break
  case 'daemon-exit': // answers well, but leaves daemons behind
    daemons()
    answer()
    process.exit(0)
    break
  case 'hold-stdout': // answers well and exits, while its child keeps stdout and stderr open
    sleeper({stdio: ['ignore', 'inherit', 'inherit']})
    answer()
    process.exit(0)
    break
  case 'fifo': // a named pipe where the output file should be: nobody will ever write to it
    execFileSync('mkfifo', [process.env.WICKER_OUTPUT])
    process.exit(0)
    break
  case 'answer-then-endless': // writes its output file, then goes on printing without end
  case 'endless': {
    if (mode === 'answer-then-endless') answer()
    const chunk = Buffer.alloc(1 << 20, 'x')
    const more = () => {
      while (process.stdout.write(chunk));
      process.stdout.once('drain', more)
    }
    more()
    break
  }
  case 'split-utf8': {
    // the answer on stdout, with a non-ASCII known side, each multi-byte character cut across two writes
    const document = JSON.parse(answer(true))
    const first = Object.values(document.baskets)[0]
    first.practice_phrases[0].known = `${first.practice_phrases[0].known} café €`
    const bytes = Buffer.from(JSON.stringify(document), 'utf8')
    const cuts = [bytes.indexOf(Buffer.from('é')) + 1, bytes.indexOf(Buffer.from('€')) + 1, bytes.indexOf(Buffer.from('€')) + 2]
    const pieces = [0, ...cuts, bytes.length].slice(1).map((end, i, ends) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end))
    const write = (i) => {
      if (i === pieces.length) return process.stdout.end()
      process.stdout.write(pieces[i], () => setTimeout(() => write(i + 1), 60))
    }
    write(0)
    break
  }
  default:
    process.stderr.write(`misbehave: unknown MISBEHAVE_MODE ${mode}\n`)
    process.exit(2)
}
