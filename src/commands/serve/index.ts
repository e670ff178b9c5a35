import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {parseDuration} from '../../cli/durations.js'
import {intFlag} from '../../cli/int-flags.js'
import {renderServe, renderServeListening} from '../../cli/render/serve.js'
import {stopOnSignals} from '../../cli/stop-signals.js'
import {runServe} from '../../core/serve/run-serve.js'
import {SERVE_DEFAULTS} from '../../core/serve/server.js'

export default class Serve extends BaseCommand {
  static override summary = 'Take uploads into staging over HTTP, with bearer tokens, until stopped.'
  static override description = `Routes (each needs \`Authorization: Bearer <token>\` from \`wicker serve token create\`):
  PUT /v1/courses/COURSE/staging/NAME   a staging file, checked as extract would read it before it is written: 201 written, 200 already there, 422 refused (application/problem+json naming each problem and its JSON path), 413 too large, 429 over --rate (with Retry-After); an Idempotency-Key makes a retry safe.
  POST /v1/courses/COURSE/staging       the same, under a name the server picks (upload-<UTC time>-<random>.json): 201 with Location, the file's PUT URL.
A token of another served course gets 403; one made with --run RUN uploads only files named RUN__….json (POST names them so).
  GET /v1/courses/COURSE/status         what \`wicker status --json\` prints.
  GET /                                 a live status page for a browser (coverage by seed, staging by class, runs, last merges), updated by server-sent events from GET /v1/events: open /?token=TOKEN once, the browser keeps it in an HttpOnly cookie.
It listens on 127.0.0.1 unless told (--host); put it behind a tunnel or a TLS reverse proxy to reach it from elsewhere. SIGINT/SIGTERM: stop accepting, let in-flight requests finish, exit 130/143. Nothing is merged: that stays \`wicker merge\`.

Exit codes: 129/130/143 stopped by SIGHUP/SIGINT/SIGTERM (the way it always ends: it serves until stopped); 2 usage or bad input; 4 I/O (the port is taken).`

  static override examples = [
    {description: 'Serve one course on the default port', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'Any free port, two courses, the port read by a script', command: '<%= config.bin %> <%= command.id %> spa_for_eng fra_for_eng --port 0 --json'},
  ]

  static override strict = false
  static override args = {course: Args.string({name: 'course', required: true, description: 'Course folders or codes to serve (one or more).'})}
  static override flags = {
    port: intFlag('port', {description: 'TCP port; 0 for any free one (the real one is printed)', default: SERVE_DEFAULTS.port}),
    host: Flags.string({description: 'Address to listen on; 0.0.0.0 exposes the server to the network.', default: SERVE_DEFAULTS.host}),
    'max-body': intFlag('bytes', {description: 'Largest upload body in bytes; bigger gets 413', default: SERVE_DEFAULTS.maxBody}),
    rate: intFlag('rate', {description: 'Uploads a minute per token, in bursts of up to a tenth of it; more gets 429 with Retry-After', default: SERVE_DEFAULTS.ratePerMinute}),
    'request-timeout': Flags.string({description: 'How long a request may take to arrive whole (1s to 10m); slower gets 408.', default: '30s'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Serve)
    const ui = this.makeUi(flags)
    const requestTimeoutMs = parseDuration(flags['request-timeout'], 'request-timeout', {min: {ms: 1000, text: '1s'}, max: {ms: 600_000, text: '10m'}})
    // stop-signals speaks of agents; here the first signal stops the server, the second cuts its requests
    const stop = stopOnSignals((line) => ui.info(line.replace('stopping every agent (again to kill now)', 'stopping the server (again to cut requests in flight)').replace('killing every agent now', 'cutting requests in flight')))
    try {
      const {course: _first, ...where} = this.courseOptions('', flags)
      const {result, warnings} = await runServe({
        ...where,
        courses: argv as string[],
        host: flags.host,
        port: flags.port,
        maxBody: flags['max-body'],
        ratePerMinute: flags.rate,
        requestTimeoutMs,
        graceMs: SERVE_DEFAULTS.graceMs,
        signal: stop.signal,
        killSignal: stop.killSignal,
        onError: (line) => ui.warn(line),
        onListening: (at) => renderServeListening(ui, at),
      })
      this.finish(ui, {result, warnings, exitCode: stop.exitCode() ?? 0, render: renderServe})
    } finally {
      stop.dispose()
    }
  }
}
