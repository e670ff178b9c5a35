import type {ServeResult} from '../../core/serve/run-serve.js'
import type {Ui} from '../ui.js'
import {writeTo} from '../closed-pipes.js'

export interface ServeListening {
  url: string
  host: string
  port: number
  courses: string[]
}

/** Where the server listens, on stderr: a line for a person, or one NDJSON event with --json (stdout stays the envelope's). */
export function renderServeListening(ui: Ui, at: ServeListening, stream: NodeJS.WritableStream = process.stderr): void {
  if (ui.policy.json) writeTo(stream, `${JSON.stringify({type: 'listening', ...at})}\n`)
  else writeTo(stream, `listening on ${at.url} (courses: ${at.courses.join(', ')}); Ctrl-C to stop\n`)
}

export function renderServe(ui: Ui, r: ServeResult): void {
  ui.info(`stopped serving ${r.courses.join(', ')} at ${r.url}`)
}
