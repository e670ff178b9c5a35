import {existsSync, watch, type FSWatcher} from 'node:fs'
import {join} from 'node:path'

import type {Context} from 'hono'

import {STAGING_DIRS, wickerPaths} from '../store/paths.js'

/**
 * When a served course changes (staging, the journal, runs), the status page's event streams hear
 * of it: fs.watch on the course's folders, a slow poll in case a watch misses something (network
 * folders, editors that swap files), and a push from the server itself after each accepted upload.
 * Changes are debounced; a stream sends a fresh render only when it differs from the last it sent.
 */

export const EVENT_TIMING = {debounceMs: 150, pollMs: 5000, keepAliveMs: 25_000} as const

type Listener = (code: string) => void

export interface EventHub {
  /** a change to course `code` (also called by the server after an upload) */
  changed(code: string): void
  /** streams (text/event-stream) of `render()` for the page, sent again after each change of `codes` */
  stream(c: Context, codes: readonly string[], render: () => Promise<string>): Response | Promise<Response>
  /** end every open stream and stop watching: shutdown must not wait on them */
  close(): void
}

export function eventHub(courses: ReadonlyArray<{code: string; dir: string}>, timing: {debounceMs: number; pollMs: number; keepAliveMs: number} = EVENT_TIMING): EventHub {
  const listeners = new Set<Listener>()
  const closers = new Set<() => void>()
  const watchers = new Map<string, FSWatcher>()
  const pending = new Map<string, NodeJS.Timeout>()
  let poll: NodeJS.Timeout | null = null
  let closed = false

  const fire = (code: string) => {
    if (closed || pending.has(code)) return
    pending.set(code, setTimeout(() => {
      pending.delete(code)
      arm()
      for (const l of listeners) l(code)
    }, timing.debounceMs))
  }

  /** watch each folder that exists now; one made later (staging on the first upload) is seen through the course folder */
  function arm(): void {
    if (closed || listeners.size === 0) return
    for (const {code, dir} of courses) {
      const paths = wickerPaths(dir)
      for (const folder of [dir, ...STAGING_DIRS.map((s) => join(dir, s)), paths.root, paths.runs]) {
        if (watchers.has(folder) || !existsSync(folder)) continue
        try {
          const w = watch(folder, {persistent: false}, () => fire(code))
          w.on('error', () => {
            w.close()
            watchers.delete(folder)
          })
          watchers.set(folder, w)
        } catch {
          // a folder that cannot be watched is still covered by the poll
        }
      }
    }
    poll ??= setInterval(() => courses.forEach((c) => fire(c.code)), timing.pollMs)
    poll.unref()
  }

  function disarm(): void {
    for (const w of watchers.values()) w.close()
    watchers.clear()
    if (poll) clearInterval(poll)
    poll = null
  }

  return {
    changed: fire,
    async stream(c, codes, render) {
      const {streamSSE} = await import('hono/streaming')
      return streamSSE(c, async (sse) => {
        let last = ''
        let busy: Promise<void> = Promise.resolve()
        const send = () =>
          (busy = busy.then(async () => {
            if (sse.aborted || sse.closed) return
            const html = await render()
            // the render's own time aside, is anything new?
            const key = html.replace(/<time>[^<]*<\/time>/, '')
            if (key === last) return
            last = key
            await sse.writeSSE({event: 'status', data: JSON.stringify({html})})
          }).catch(() => undefined))
        const listener: Listener = (code) => {
          if (codes.includes(code)) void send()
        }
        let end!: () => void
        const ended = new Promise<void>((resolve) => (end = resolve))
        const keepAlive = setInterval(() => void sse.write(': keep-alive\n\n').catch(() => undefined), timing.keepAliveMs)
        const close = () => {
          clearInterval(keepAlive)
          listeners.delete(listener)
          closers.delete(close)
          if (listeners.size === 0) disarm()
          end()
        }
        sse.onAbort(close)
        closers.add(close)
        listeners.add(listener)
        arm()
        // the page was rendered a moment ago; this first render makes the stream's baseline
        await send()
        await ended
      })
    },
    close() {
      closed = true
      for (const close of [...closers]) close()
      for (const t of pending.values()) clearTimeout(t)
      pending.clear()
      disarm()
    },
  }
}
