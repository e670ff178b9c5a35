import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {parseDuration, parseShare} from '../cli/durations.js'
import {launchProgress, renderLaunch} from '../cli/render/launch.js'
import {AGENTS, type AgentKind} from '../core/launch/agents.js'
import {runLaunch} from '../core/launch/launch.js'

export default class Launch extends BaseCommand {
  static override summary = 'Run agent sessions for a prepared run\'s packets, in parallel, into staging.'
  static override description = `Segments run one after another; the packets of a segment run in parallel (--concurrency), started --stagger apart. Each agent runs in its own process group with the prompt on stdin; --timeout and --idle-timeout stop the whole group (TERM, then KILL). Each attempt is classified from its output: ok, invalid-output, rate-limited (pauses that agent, honouring a reset time), timeout, crash, auth (stops the run). Transient failures are retried with backoff (--retries). An output goes into staging only once it validates, atomically, as <run>__<packet>__<attempt>.json; staging is never overwritten. Every attempt is in .wicker/runs/<run>/ledger.ndjson.

Packets already done (a valid output in staging) are skipped, so running it again resumes; --retry-failed runs only failed packets, --only picks packets by number. Ctrl-C or SIGTERM stops every agent before wicker exits.

Agents: builtin (the offline built-in generator, the default), claude, codex, gemini, command (--agent-cmd). The agent writes its JSON to $WICKER_OUTPUT or prints it; $WICKER_PACKET holds the packet file.

Exit codes: 0 every packet ok; 1 some packets failed; 2 usage; 3 the run is locked by another launch; 4 I/O; 130/143 interrupted.`

  static override examples = [
    {description: 'Run the newest prepared run with the built-in agent', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'Claude Code, 4 at a time, 5 s apart', command: '<%= config.bin %> <%= command.id %> spa_for_eng --run run-1a2b3c --agent claude --concurrency 4 --stagger 5s'},
    {description: 'Your own agent command (no shell: an argument array)', command: '<%= config.bin %> <%= command.id %> spa_for_eng --agent command --agent-cmd \'["python3", "agent.py", "--packet", "{packet}", "--out", "{output}"]\''},
    {description: 'Only the failed packets', command: '<%= config.bin %> <%= command.id %> spa_for_eng --retry-failed'},
  ]

  static override args = {course: courseArg}
  static override flags = {
    run: Flags.string({description: 'Run to launch [default: the newest prepared run].'}),
    agent: Flags.string({description: 'Agent to run.', options: [...AGENTS], default: 'builtin'}),
    'agent-cmd': Flags.string({description: 'For --agent command: the command as a JSON array or space-separated words; {packet} {prompt_file} {output} {run} {packet_id} {attempt} are filled in.'}),
    'agent-bin': Flags.string({description: 'Path of the claude / codex / gemini executable [default: found on PATH].'}),
    concurrency: Flags.integer({char: 'j', description: 'Agents at once.', default: 4, min: 1}),
    stagger: Flags.string({description: 'Pause between starts (with ±25% jitter).', default: '1s'}),
    timeout: Flags.string({description: 'Wall-clock limit per attempt.', default: '30m'}),
    'idle-timeout': Flags.string({description: 'Limit on time without any output.', default: '5m'}),
    grace: Flags.string({description: 'Between TERM and KILL when stopping an agent.', default: '5s'}),
    retries: Flags.integer({description: 'Retries per packet for transient failures.', default: 2, min: 0}),
    backoff: Flags.string({description: 'First retry delay (doubles each time).', default: '5s'}),
    halt: Flags.string({description: 'Stop launching once this share of finished packets failed (or never).', default: '25%'}),
    'max-cost-usd': Flags.string({description: 'Stop launching once agents report this much spent.'}),
    resume: Flags.boolean({description: 'Run what is not done yet (the default behaviour, said explicitly).'}),
    'retry-failed': Flags.boolean({description: 'Run only packets whose last attempt failed.'}),
    only: Flags.string({description: 'Packet numbers: 1,3-5.'}),
    staging: Flags.string({description: 'Staging folder for the outputs [default: phase5_baskets_staging/ in the course].'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Launch)
    const ui = this.makeUi(flags)
    const controller = new AbortController()
    let signalName: NodeJS.Signals | null = null
    const onSignal = (s: NodeJS.Signals) => {
      signalName ??= s
      ui.info(`${s}: stopping every agent…`)
      controller.abort()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    const progress = await launchProgress(ui)
    try {
      const {result, warnings} = await runLaunch({
        ...this.courseOptions(args.course, flags),
        run: flags.run,
        agent: flags.agent as AgentKind,
        agentCmd: flags['agent-cmd'],
        agentBin: flags['agent-bin'],
        concurrency: flags.concurrency,
        staggerMs: parseDuration(flags.stagger, 'stagger'),
        jitter: 0.25,
        timeoutMs: parseDuration(flags.timeout, 'timeout'),
        idleTimeoutMs: parseDuration(flags['idle-timeout'], 'idle-timeout'),
        graceMs: parseDuration(flags.grace, 'grace'),
        retries: flags.retries,
        backoffMs: parseDuration(flags.backoff, 'backoff'),
        halt: parseShare(flags.halt, 'halt'),
        maxCostUsd: flags['max-cost-usd'] ? Number(flags['max-cost-usd']) : null,
        resume: flags.resume,
        retryFailed: flags['retry-failed'],
        only: flags.only ?? null,
        staging: flags.staging,
        signal: controller.signal,
        onEvent: progress.event,
      })
      await progress.done()
      const exitCode = result.interrupted ? (signalName === 'SIGTERM' ? 143 : 130) : result.packets.failed > 0 || result.halted ? 1 : 0
      this.finish(ui, {result, warnings, exitCode, render: renderLaunch})
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}
