import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {launchSettings} from '../cli/launch-settings.js'
import {launchProgress, renderLaunch} from '../cli/render/launch.js'
import {renderLaunchDryRun} from '../cli/render/launch-dry-run.js'
import {stopOnSignals} from '../cli/stop-signals.js'
import {loadConfig} from '../core/config.js'
import {EXIT, WickerError} from '../core/errors.js'
import type {AgentKind} from '../core/launch/agents.js'
import {DEFAULT_LIST_PRICES} from '../core/launch/batch/requests.js'
import {estimateLaunch, type Estimate} from '../core/launch/estimate.js'
import {dryRunLaunch, runLaunch, type LaunchEvent} from '../core/launch/launch.js'
import {launchSummary} from '../core/launch/notify.js'
import {runNotify} from '../core/proc/notify.js'
import {AGENTS} from '../core/schemas/config.js'
import {intFlag} from '../cli/int-flags.js'
import {parseDuration} from '../cli/durations.js'

/** how long --notify may take once launch was stopped by a signal */
const STOPPED_NOTIFY_MS = 5000

export default class Launch extends BaseCommand {
  static override summary = 'Run agent sessions for a prepared run\'s packets, in parallel, into staging.'
  static override description = `Segments run one after another; the packets of a segment run in parallel (--concurrency), started --stagger apart. Each agent runs in its own process group with the prompt on stdin; --timeout and --idle-timeout stop its whole process tree (TERM, then KILL), helpers that left the group included. Each attempt is classified from its output: ok, invalid-output, rate-limited (pauses that agent, honouring a reset time), timeout, crash, auth (stops the run). Transient failures are retried with backoff (--retries). An output goes into staging only once it validates, atomically, as <run>__<packet>__<attempt>.json; staging is never overwritten. Every attempt is in .wicker/runs/<run>/ledger.ndjson.

--shard I/N runs only the packets of shard I of N, split from the prepared run by LEGO count (the same split on every machine; see prepare-segments --shards): N machines, or N pods of a Kubernetes Indexed Job, share a run without running a packet twice.

--upload URL also sends each output to a \`wicker serve\` (for a machine that reaches only that): staged locally first as always, then PUT to <URL>/v1/courses/<course code>/staging/<staged name> with the bearer token from $WICKER_TOKEN (or --token-env NAME), four at a time, off the agents' path. 429 waits for Retry-After, 5xx and network errors are retried with backoff (--upload-backoff, doubling: 1, 2, 4 s by default); 401/403/404/409/413/415/422 are not retried and become warnings with the server's words; after a 401 (the token refused) or a server that could not be reached at all, the files left are not tried until the next run. What was delivered is in uploads.ndjson beside the ledger: at the start and at the end of a launch, every valid staged output of its packets that is not listed there with the same bytes is sent, so running the same command again delivers what a server that was down did not get, and nothing twice. The token goes only into the Authorization header (never into the ledger, logs, record, output or errors), and the agents do not get its variable.

Packets already done (a valid output in staging) are skipped, so running it again resumes; --retry-failed runs only failed packets, --only picks packets by number. Ctrl-C, SIGTERM or a hangup stops launching and stops every agent's whole process tree (TERM, then KILL after --grace); a second Ctrl-C kills them at once. Before it starts, launch prints an estimate: packets, LEGOs, prompt tokens, and the expected cost when the config has the agent's prices (agents.<kind>.inputUsdPerMTok, outputUsdPerMTok). --notify runs a command with the summary as JSON on stdin when the launch ends. --dry-run prints, for each packet it would start, the exact argument vector, the environment variables it adds, the folder and the timeouts (with --json: a result listing them), built by the same code a real attempt uses; it starts, locks and writes nothing.

Agents: builtin (the offline built-in generator, the default), claude, codex, gemini, command (--agent-cmd), openai-compatible (--base-url, --model). The agent writes its JSON to $WICKER_OUTPUT or prints it; $WICKER_PACKET holds the packet file. claude runs with --output-format stream-json --verbose: a rejected rate_limit_event pauses the launch until its resetsAt.

--sessions orchestrator runs one session per group of packets instead (at most --group-size, from one prepared orchestrator group): the orchestrator prompt, rendered for the group with each packet's output file, on stdin; the session starts its own workers (claude: the Task tool; command: {prompt_file} is the session's prompt, {output} the work folder). launch still owns the timeouts, the stop, the ledger (a start and an end for each packet, naming the session) and staging: a packet is done only when a valid output is in its file once the session ended; the others are retried together in a smaller session, or fail, by the same rules as a single attempt.

--agent openai-compatible sends one chat-completions request per packet to a local or hosted OpenAI-style server (ollama, llama.cpp server, vLLM, LM Studio…): POST <base-url>/chat/completions with {model, messages: [system, user: the rendered prompt], response_format: {type: "json_schema", json_schema: {name: "wicker_worker_output", strict: true, schema}}}, the schema being the worker output with the packet's LEGO ids, every field required, no bounds; --no-schema sends no response_format and asks for the JSON alone (for a server without structured output). The key is read from $OPENAI_API_KEY (or the variable --api-key-env names; unset is fine for a server that needs none) and goes only into the Authorization header. It runs as a child process like any agent, so --timeout, --idle-timeout (nothing is printed while the server answers), stopping, the ledger and staging apply as ever. 429 pauses for its Retry-After; 401/403/404 stop the run (auth); 5xx and network errors are retried (crash); an answer cut at the output limit (finish_reason "length") is invalid-output; --max-context N refuses a prompt estimated above N tokens without sending it (over-context, not retried).

--agent anthropic-batch and --agent openai-batch (--model) send every packet still to do through the provider's batch API at half the list price: one batch (split at 100,000 requests or 256 MB for Anthropic, 50,000 requests or 200 MB for OpenAI), each request's custom_id <packet>-<attempt>, the batch id written into the ledger as soon as the batch exists, so a launch stopped or killed and started again polls the same batch instead of paying twice. It polls with backoff (--poll-interval), shows the counts, and puts each result through the same output check and staging as any agent; errored, expired and canceled requests go again in a smaller batch (--retries). The key is read from $ANTHROPIC_API_KEY / $OPENAI_API_KEY (or --api-key-env); each request's cost is at the batch price (the config's agents.<kind> list prices, halved; default Sonnet's $3/$15, GPT-4.1's $2/$8 per million tokens).

Exit codes: 0 every packet ok; 1 findings (some packets failed, the run halted, or some --upload failed: run it again to send them); 2 usage (a bad flag, an agent program that is not there, a --base-url that is not http(s), a variable --api-key-env names that is unset, a --shard count other than the run's, a bad --upload URL or its token variable unset); 3 blocked (the run, or the shard, is locked by another launch, or launched split another way right now); 4 I/O; 129/130/143 stopped by SIGHUP/SIGINT/SIGTERM (with --json, the envelope's status too).`

  static override examples = [
    {description: 'Run the newest prepared run with the built-in agent', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'Claude Code, 4 at a time, 5 s apart', command: '<%= config.bin %> <%= command.id %> spa_for_eng --run run-1a2b3c --agent claude --concurrency 4 --stagger 5s'},
    {description: 'Your own agent command (no shell: an argument array)', command: '<%= config.bin %> <%= command.id %> spa_for_eng --agent command --agent-cmd \'["python3", "agent.py", "--packet", "{packet}", "--out", "{output}"]\''},
    {description: 'The second of three machines, into a staging folder of its own (to upload as a CI artifact)', command: '<%= config.bin %> <%= command.id %> spa_for_eng --run run-1a2b3c --shard 2/3 --staging ./out/staging'},
    {description: 'A shard on a machine that reaches only a wicker serve: outputs staged here and PUT there', command: 'WICKER_TOKEN=wkt_… <%= config.bin %> <%= command.id %> spa_for_eng --run run-1a2b3c --shard 2/3 --upload https://wicker.example.org'},
    {description: 'A local model through ollama\'s OpenAI-compatible API, prompts of at most 32k tokens', command: '<%= config.bin %> <%= command.id %> spa_for_eng --agent openai-compatible --base-url http://127.0.0.1:11434/v1 --model qwen2.5:14b-instruct --max-context 32768 -j 2 --timeout 20m --idle-timeout 20m'},
    {description: 'Every packet in one Anthropic Message Batch at half price (key in $ANTHROPIC_API_KEY); stop and start again at will: it polls the same batch', command: '<%= config.bin %> <%= command.id %> spa_for_eng --agent anthropic-batch --model claude-sonnet-4-5'},
    {description: 'Only the failed packets', command: '<%= config.bin %> <%= command.id %> spa_for_eng --retry-failed'},
    {description: 'What would it run? The exact argument vectors, nothing started', command: '<%= config.bin %> <%= command.id %> spa_for_eng --agent claude --dry-run'},
  ]

  static override args = {course: courseArg}
  static override flags = {
    run: Flags.string({description: 'Run to launch [default: the newest prepared run].'}),
    agent: Flags.string({description: 'Agent to run.', options: [...AGENTS], default: 'builtin'}),
    'agent-cmd': Flags.string({description: 'For --agent command: the command as a JSON array or space-separated words; {packet} {prompt_file} {output} {run} {packet_id} {attempt} are filled in.'}),
    'agent-bin': Flags.string({description: 'Path of the claude / codex / gemini executable [default: found on PATH].'}),
    'base-url': Flags.string({description: 'For --agent openai-compatible: the server\'s OpenAI-style API root, http(s) (http://127.0.0.1:11434/v1); requests go to <base-url>/chat/completions. For the batch agents: the provider\'s API root [default: https://api.anthropic.com/v1, https://api.openai.com/v1].'}),
    model: Flags.string({description: 'For --agent openai-compatible, anthropic-batch, openai-batch: the model to ask for.'}),
    'api-key-env': Flags.string({description: 'For --agent openai-compatible, anthropic-batch, openai-batch: the environment variable holding the API key (never the key itself) [default: OPENAI_API_KEY, which may be unset for a local server; ANTHROPIC_API_KEY for anthropic-batch].'}),
    schema: Flags.boolean({description: 'For --agent openai-compatible / openai-batch: send response_format with the worker output\'s JSON Schema (--no-schema: a plain JSON instruction, for a server without structured output).', default: true, allowNo: true}),
    'max-context': intFlag('max-context', {description: 'For --agent openai-compatible and the batch agents: refuse a packet whose prompt is estimated above this many tokens, without sending it'}),
    'poll-interval': Flags.string({description: 'For --agent anthropic-batch / openai-batch: the first wait between polls of a batch; each wait is half as long again, up to 10 times this (at most 10m).', default: '30s'}),
    concurrency: intFlag('concurrency', {char: 'j', description: 'Agents (or orchestrator sessions) at once.', default: 4}),
    sessions: Flags.string({description: 'One agent session per packet, or one orchestrator session per group of packets (of one prepared orchestrator group) that starts its own workers: claude (Task tool) or command.', options: ['packet', 'orchestrator'], default: 'packet'}),
    'group-size': intFlag('group-size', {description: 'With --sessions orchestrator: packets per session at most [default: 10].'}),
    stagger: Flags.string({description: 'Pause between starts (with ±25% jitter).', default: '1s'}),
    timeout: Flags.string({description: 'Wall-clock limit per attempt (1ms to 24h).', default: '30m'}),
    'idle-timeout': Flags.string({description: 'Limit on time without any output (1ms to 24h).', default: '5m'}),
    grace: Flags.string({description: 'Between TERM and KILL when stopping an agent (0: KILL at once; up to 24h).', default: '5s'}),
    retries: intFlag('retries', {description: 'Retries per packet for transient failures.', default: 2}),
    backoff: Flags.string({description: 'First retry delay (doubles each time).', default: '5s'}),
    halt: Flags.string({description: 'Stop launching once this share of finished packets failed (or never).', default: '25%'}),
    'max-cost-usd': Flags.string({description: 'Stop launching once agents report this much spent (US dollars above 0).'}),
    resume: Flags.boolean({description: 'Run what is not done yet (the default behaviour, said explicitly).'}),
    'retry-failed': Flags.boolean({description: 'Run only packets whose last attempt failed.'}),
    only: Flags.string({description: 'Packet numbers: 1,3-5 (each from 1 to the number of packets; ranges go upwards).'}),
    staging: Flags.string({description: 'Staging folder for the outputs [default: phase5_baskets_staging/ in the course].'}),
    shard: Flags.string({description: 'Run only shard I of N (I/N, 1-based), so N machines with the same prepared run never run the same packet; its outputs are named <run>__<packet>__<attempt>__shard-I-of-N.json and its ledger is .wicker/runs/<run>/shards/I-of-N/ledger.ndjson.'}),
    upload: Flags.string({description: 'Base URL of a `wicker serve` (https://wicker.example.org): each output, once staged here, is also PUT there; running the command again sends what was not delivered.'}),
    'upload-backoff': Flags.string({description: 'With --upload: the first wait before a PUT is sent again after a 5xx, a timeout or a network error; it doubles each time, 4 tries in all (0 to 24h) [default: 1s].', dependsOn: ['upload']}),
    'token-env': Flags.string({description: 'Environment variable holding the bearer token for --upload (never the token itself) [default: WICKER_TOKEN].', dependsOn: ['upload']}),
    notify: Flags.string({description: 'Command run when the launch finishes, halts or is stopped, with the summary as JSON on stdin: a JSON array or space-separated words (no shell). Its failure is a warning.'}),
    'notify-timeout': Flags.string({description: 'Time the --notify command gets before it is stopped (1ms to 24h).', default: '30s'}),
    'dry-run': Flags.boolean({description: 'Print the exact command, arguments, added environment variables, folder and timeouts of each packet it would start; start nothing, write nothing.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Launch)
    const ui = this.makeUi(flags)
    const {timing, halt, maxCostUsd, notify, notifyTimeoutMs} = launchSettings(flags)
    const options = this.courseOptions(args.course, flags)
    const agent = flags.agent as AgentKind
    const runOptions = {
      ...options,
      ...timing,
      run: flags.run,
      agent,
      agentCmd: flags['agent-cmd'],
      agentBin: flags['agent-bin'],
      baseUrl: flags['base-url'] ?? null,
      model: flags.model ?? null,
      apiKeyEnv: flags['api-key-env'] ?? null,
      schema: flags.schema,
      maxContext: flags['max-context'] ?? null,
      concurrency: flags.concurrency,
      sessions: flags.sessions as 'packet' | 'orchestrator',
      groupSize: flags['group-size'],
      jitter: 0.25,
      retries: flags.retries,
      halt,
      maxCostUsd,
      resume: flags.resume,
      retryFailed: flags['retry-failed'],
      only: flags.only ?? null,
      staging: flags.staging,
      shard: flags.shard ?? null,
      upload: flags.upload ?? null,
      tokenEnv: flags['token-env'] ?? null,
      uploadBackoffMs: flags['upload-backoff'] === undefined ? undefined : parseDuration(flags['upload-backoff'], 'upload-backoff', {zero: true}),
    }
    if (flags['dry-run']) {
      const {result, warnings} = await dryRunLaunch(runOptions)
      this.finish(ui, {result, warnings, exitCode: 0, render: renderLaunchDryRun})
      return
    }
    const {config} = await loadConfig({file: options.configFile, cwd: options.cwd})
    const price = config.agents?.[agent]
    // a batch agent's estimate is at the batch price: half the list price (the config's, or the default)
    const batchProvider = agent === 'anthropic-batch' ? 'anthropic' : agent === 'openai-batch' ? 'openai' : null
    const listPrice = price ?? (batchProvider ? DEFAULT_LIST_PRICES[batchProvider] : undefined)
    const estimatePrice = batchProvider && listPrice ? {...listPrice, inputUsdPerMTok: listPrice.inputUsdPerMTok / 2, outputUsdPerMTok: listPrice.outputUsdPerMTok / 2} : price

    const progress = launchProgress(ui)
    const stop = stopOnSignals((line) => progress.say(line))
    stop.signal.addEventListener('abort', () => progress.stopping(), {once: true})
    let estimate: Estimate | null = null
    const onEvent = (e: LaunchEvent) => {
      progress.event(e)
      if (e.type === 'plan') {
        estimate = estimateLaunch(e.todo, estimatePrice)
        progress.event({type: 'estimate', ...estimate})
      }
    }
    // once a stop was asked for (a container's grace period is running out), notify gets a few seconds at most
    const tell = async (summary: unknown) => (notify ? runNotify(notify, summary, {cwd: options.cwd, timeoutMs: stop.first() === null ? notifyTimeoutMs : Math.min(notifyTimeoutMs, STOPPED_NOTIFY_MS), cancelSignal: stop.killSignal}) : null)
    try {
      const {result, warnings} = await runLaunch({
        ...runOptions,
        signal: stop.signal,
        killSignal: stop.killSignal,
        onEvent,
        listPrice: price ? {inputUsdPerMTok: price.inputUsdPerMTok, outputUsdPerMTok: price.outputUsdPerMTok} : null,
      })
      await progress.done()
      const exitCode = stop.exitCode() ?? (result.interrupted ? EXIT.sigint : result.packets.failed > 0 || result.halted || (result.uploads?.failed ?? 0) > 0 ? EXIT.findings : EXIT.ok)
      const outcome = {...result, estimate}
      const warning = await tell(launchSummary(outcome, exitCode, stop.first()))
      if (warning) warnings.push(warning)
      this.finish(ui, {result: outcome, warnings, exitCode, render: (u, r) => renderLaunch(u, r, args.course)})
    } catch (error) {
      await progress.done()
      // a launch that could not run (locked, bad --only, I/O) is news for the team too; the error stays the command's
      const info = error instanceof WickerError ? error.toJSON() : {code: 'E_INTERNAL', message: String(error)}
      const warning = await tell({kind: 'wicker/launch-summary', status: 'error', error: info}).catch(() => null)
      // it goes out with the error (envelope or stderr), after what the core noted before failing
      if (warning) this.warnings.push(warning)
      throw error
    } finally {
      stop.dispose()
    }
  }
}
