import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../../cli/base-command.js'
import {intFlag} from '../../cli/int-flags.js'
import {renderCiFiles} from '../../cli/render/ci.js'
import {shellArg} from '../../core/text/shell-arg.js'
import {FINISHES, type Finish} from '../../core/ci/github.js'
import {runCiGithub} from '../../core/ci/run-github.js'
import type {AgentKind} from '../../core/launch/agents.js'
import {AGENTS} from '../../core/schemas/config.js'

export default class CiGithub extends BaseCommand {
  static override summary = 'Write a GitHub Actions workflow that launches a course in shards, then gathers, checks and merges.'
  static override description = `Writes .github/workflows/wicker.yml at the root of the git repository holding the course (no repository: the current folder; --out: elsewhere). Run by hand (workflow_dispatch), never on push. Job prepare runs prepare-segments --shards; a matrix of --shards jobs (at most 256, GitHub's limit) each installs wicker and the agent CLI, takes the API key from a repository secret, runs launch --shard i/n and uploads its outputs; job gather downloads every shard's outputs, runs collect, status --require-complete (fails when a packet is missing, naming its shard), preview, then --finish pr (merge, push a branch wicker/<run>, open a pull request) or review (the preview in the run's summary, the outputs as an artifact). "Re-run failed jobs" resumes a failed shard where it stopped.

The file is yours: wicker writes it again only while it is unedited (its first line holds the hash of the rest), or with --force, and then first keeps what was there as <file>.<time>.bak. A job's time limit (--timeout-minutes) is 360 minutes at most on GitHub-hosted runners; self-hosted runners allow more.

Exit codes: 0 ok (written, or unchanged); 2 usage (a bad flag, --agent command, a course that does not exist, a path that is not a file); 3 blocked (the file was edited since wicker wrote it: --force replaces it); 4 I/O.`

  static override examples = [
    {description: 'Four shards with the built-in agent', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'Twelve Claude Code shards, six at a time, key from the secret CLAUDE_KEY', command: '<%= config.bin %> <%= command.id %> spa_for_eng --shards 12 --max-parallel 6 --agent claude --secret CLAUDE_KEY'},
    {description: 'Stop for review instead of opening a pull request', command: '<%= config.bin %> <%= command.id %> spa_for_eng --agent gemini --finish review'},
    {description: 'A self-hosted runner with a longer time limit, written elsewhere', command: '<%= config.bin %> <%= command.id %> spa_for_eng --runs-on self-hosted --runs-on linux --timeout-minutes 1440 --out .github/workflows/wicker-spa.yml'},
  ]

  static override args = {course: courseArg}
  static override flags = {
    shards: intFlag('github-shards', {description: 'Shard jobs (GitHub runs at most 256 jobs in a matrix).', default: 4}),
    'max-parallel': intFlag('max-parallel', {description: 'Shard jobs at once [default: all of them].'}),
    agent: Flags.string({description: 'Agent the shards run (command is refused: only you know its command line).', options: [...AGENTS], default: 'builtin'}),
    secret: Flags.string({description: 'Repository secret holding the agent\'s API key [default: the variable the agent reads, e.g. ANTHROPIC_API_KEY]; none for builtin.'}),
    concurrency: intFlag('concurrency', {char: 'j', description: 'Agent sessions at once on each shard machine.', default: 4}),
    'timeout-minutes': intFlag('timeout-minutes', {description: 'Time limit of each shard job; GitHub-hosted runners stop a job after 360 whatever it says.', default: 360}),
    'runs-on': Flags.string({description: 'Runner label (repeatable: a self-hosted runner with every label) [default: ubuntu-latest].', multiple: true}),
    finish: Flags.string({description: 'What the gather job does with the changes: pr (merge, open a pull request) or review (stop; keep the outputs for a person).', options: [...FINISHES], default: 'pr'}),
    out: Flags.string({description: 'The workflow file to write [default: .github/workflows/wicker.yml at the repository root].'}),
    force: Flags.boolean({description: 'Replace the file even when it was edited (what is there is kept as <file>.<time>.bak).'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(CiGithub)
    const ui = this.makeUi(flags)
    const {result, warnings} = await runCiGithub({
      ...this.courseOptions(args.course, flags),
      shards: flags.shards,
      maxParallel: flags['max-parallel'],
      agent: flags.agent as AgentKind,
      secret: flags.secret,
      concurrency: flags.concurrency,
      timeoutMinutes: flags['timeout-minutes'],
      runsOn: flags['runs-on'],
      finish: flags.finish as Finish,
      out: flags.out,
      force: flags.force,
      command: ['wicker', 'ci', 'github', ...this.argv.filter((a) => a !== '--json')].map(shellArg).join(' '),
    })
    this.finish(ui, {result, warnings, exitCode: 0, render: renderCiFiles})
  }
}
