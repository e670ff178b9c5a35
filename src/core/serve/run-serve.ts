import {UsageError} from '../errors.js'
import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import {eventHub} from './events.js'
import {listen, makeApp, type ServedCourse} from './server.js'

export interface ServeOptions extends Omit<OpenCourseOptions, 'course'> {
  courses: string[]
  host: string
  port: number
  maxBody: number
  /** uploads a minute per token (rate-limit.ts) */
  ratePerMinute: number
  requestTimeoutMs: number
  graceMs: number
  /** aborted by SIGINT/SIGTERM: the server stops accepting and lets in-flight requests finish */
  signal: AbortSignal
  /** aborted by a second signal: requests still in flight are cut */
  killSignal?: AbortSignal
  /** a line for the server's log: a request it could not answer */
  onError?: (line: string) => void
  onListening: (at: {url: string; host: string; port: number; courses: string[]}) => void
}

export interface ServeResult {
  url: string
  courses: string[]
}

/** `wicker serve COURSE...`: open each course, listen until the signal, then close in an orderly way. */
export async function runServe(options: ServeOptions): Promise<{result: ServeResult; warnings: string[]}> {
  const warnings = options.warnings ?? []
  const served: ServedCourse[] = []
  for (const course of options.courses) {
    const opened = await openCourse({...options, course, canon: false, warnings})
    const twin = served.find((s) => s.course.code === opened.course.code)
    // the URL names a course by its code: two folders of one code cannot both be served
    if (twin) throw new UsageError({code: 'E_SERVE_TWICE', message: `${course} and ${twin.course.dir} are both course ${opened.course.code}: a URL could not tell them apart.`, hint: 'Serve each course once (run a second wicker serve on another --port for the other folder).', details: {code: opened.course.code}})
    served.push({course: opened.course, cwd: options.cwd})
  }
  const events = eventHub(served.map((s) => s.course))
  const app = await makeApp(served, {maxBody: options.maxBody, ratePerMinute: options.ratePerMinute, onError: options.onError, events})
  const server = await listen(app, options)
  const codes = served.map((s) => s.course.code)
  options.onListening({url: server.url, host: server.host, port: server.port, courses: codes})
  if (!options.signal.aborted) await new Promise((resolve) => options.signal.addEventListener('abort', resolve, {once: true}))
  options.killSignal?.addEventListener('abort', () => server.cutNow(), {once: true})
  // open event streams would hold the server open: they end first
  events.close()
  await server.close(options.graceMs)
  return {result: {url: server.url, courses: codes}, warnings}
}
