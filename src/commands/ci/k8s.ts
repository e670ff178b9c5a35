import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../../cli/base-command.js'
import {intFlag} from '../../cli/int-flags.js'
import {renderCiK8s} from '../../cli/render/ci.js'
import {DEFAULT_OUT, runCiK8s} from '../../core/ci/run-k8s.js'
import type {AgentKind} from '../../core/launch/agents.js'
import {AGENTS} from '../../core/schemas/config.js'

export default class CiK8s extends BaseCommand {
  static override summary = 'Write a Kubernetes Indexed Job (one pod per shard) and the Dockerfile of its image, as files you own.'
  static override description = `Writes job.yaml and Dockerfile into --out. The Job (batch/v1, completionMode Indexed) has one completion per shard; pod i runs \`wicker launch COURSE --run RUN --shard i+1/N\` (JOB_COMPLETION_INDEX is 0-based) on the course at /course/<course folder name> of a ReadWriteMany PersistentVolumeClaim (--pvc), with the agent's key from a Secret by name (--secret; key: the agent's variable, e.g. ANTHROPIC_API_KEY). A failed pod is started again up to --retries times and resumes its shard; exit 2 (a usage error) fails its index at once. Memory and CPU requests grow with --concurrency (agents per pod). The Dockerfile installs exactly this version of wicker and the agent's CLI, with tini as PID 1 and a non-root user.

The run is --run, or the newest prepared run; its recorded shard count (prepare-segments --shards) must equal --shards. The files are yours: written again, an unedited one is updated (the old one kept as <file>.<time>.bak), an edited one is left as it is unless --force. Nothing is sent to a cluster.

Exit codes: 0 ok; 2 usage (no --image, a bad name, --agent command, no prepared run, a shard count the run was not prepared with); 3 blocked (job.yaml or Dockerfile was edited: --force replaces it); 4 I/O.`

  static override examples = [
    {description: 'Three pods of the newest run, built-in agent', command: '<%= config.bin %> <%= command.id %> spa_for_eng --shards 3 --image registry.example.com/team/wicker:0.1.0'},
    {description: 'Claude Code, 40 shards, 8 pods at once, 2 agents each, in a namespace', command: '<%= config.bin %> <%= command.id %> spa_for_eng --run run-2026-12-01 --shards 40 --parallelism 8 -j 2 --agent claude --namespace courses --image registry.example.com/team/wicker-claude:1'},
  ]

  static override args = {course: courseArg}
  static override flags = {
    shards: intFlag('k8s-shards', {description: 'Shards: completions of the Job, one pod each.', required: true}),
    image: Flags.string({description: 'Image the pods run (build it from the Dockerfile written beside job.yaml).', required: true}),
    run: Flags.string({description: 'Prepared run to launch [default: the newest].'}),
    agent: Flags.string({description: 'Agent each pod runs (command: not templated).', options: [...AGENTS], default: 'builtin'}),
    secret: Flags.string({description: 'Secret holding the agent\'s key, under the agent\'s variable name.', default: 'wicker-agent'}),
    pvc: Flags.string({description: 'PersistentVolumeClaim (ReadWriteMany) holding the course, mounted at /course.', default: 'wicker-course'}),
    parallelism: intFlag('parallelism', {description: 'Pods at once [default: shards, up to 10].'}),
    retries: intFlag('retries', {description: 'Restarts of one shard\'s pod after a failure (backoffLimitPerIndex).', default: 2}),
    concurrency: intFlag('concurrency', {char: 'j', description: 'Agents at once in each pod (launch -j).', default: 4}),
    namespace: Flags.string({description: 'Namespace of the Job [default: kubectl\'s current one].'}),
    out: Flags.string({description: 'Folder for job.yaml and Dockerfile.', default: DEFAULT_OUT}),
    force: Flags.boolean({description: 'Replace files you edited (each kept as <file>.<time>.bak first).'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(CiK8s)
    const ui = this.makeUi(flags)
    const {result, warnings} = await runCiK8s({
      ...this.courseOptions(args.course, flags),
      shards: flags.shards,
      image: flags.image,
      run: flags.run,
      agent: flags.agent as AgentKind,
      secret: flags.secret,
      pvc: flags.pvc,
      parallelism: flags.parallelism,
      retries: flags.retries,
      concurrency: flags.concurrency,
      namespace: flags.namespace,
      out: flags.out,
      force: flags.force,
    })
    this.finish(ui, {result, warnings, exitCode: 0, render: renderCiK8s})
  }
}
