import {UsageError} from '../errors.js'
import {sha256Hex} from '../hash.js'
import type {AgentKind} from '../launch/agents.js'
import {CI_AGENTS, untemplatedAgent} from './agents.js'

/**
 * `wicker ci k8s`, the pure part: options → a Kubernetes Indexed Job (one pod per shard) and the
 * Dockerfile of the image its pods run. No disk, no YAML library at the top: run-k8s.ts reads the
 * course and writes the files; `k8sJobYaml` loads `yaml` when it is called.
 */
export interface K8sOptions {
  /** the course folder's name: the course is at /course/<name> on the volume */
  courseName: string
  run: string
  shards: number
  image: string
  agent: AgentKind
  /** name of the Secret holding the agent's key (under the key `keyEnv`) */
  secret: string
  /** name of the PersistentVolumeClaim holding the course */
  pvc: string
  /** pods at once */
  parallelism: number
  /** backoffLimitPerIndex: how often one shard's pod is started again after a failure */
  retries: number
  /** agents each pod runs at once (launch -j) */
  concurrency: number
  namespace: string | null
  wickerVersion: string
}

/** where the volume is mounted in each pod */
export const COURSE_MOUNT = '/course'
/** launch's --grace in the pod (TERM to KILL for each agent's process tree) */
export const LAUNCH_GRACE_SECONDS = 10
/** pod deletion: launch gets TERM, stops its agents (--grace), writes its ledger; KILL only after this */
export const TERMINATION_GRACE_SECONDS = LAUNCH_GRACE_SECONDS + 20
/** finished Jobs (and their pods' logs) are removed after a week */
export const TTL_SECONDS_AFTER_FINISHED = 7 * 24 * 3600
export const DEFAULT_PARALLELISM_CAP = 10

/**
 * Memory for one pod: wicker itself, plus one share per agent running at once (-j): each agent CLI
 * (a Node program) holds hundreds of MB; the built-in agent is a small Node child. The limit is the
 * same rule with twice each share. CPU: a request per agent, no limit (a throttled agent is one that
 * times out).
 */
export const POD_MEMORY = {wickerMi: 256, perAgent: {builtin: {requestMi: 128, limitMi: 256}, cli: {requestMi: 512, limitMi: 1024}}} as const
export const POD_CPU = {wickerMilli: 250, perAgentMilli: 250} as const

export function podResources(agent: AgentKind, concurrency: number) {
  const share = agent === 'builtin' ? POD_MEMORY.perAgent.builtin : POD_MEMORY.perAgent.cli
  return {
    requests: {cpu: `${POD_CPU.wickerMilli + POD_CPU.perAgentMilli * concurrency}m`, memory: `${POD_MEMORY.wickerMi + share.requestMi * concurrency}Mi`},
    limits: {memory: `${POD_MEMORY.wickerMi + share.limitMi * concurrency}Mi`},
  }
}

/**
 * What each pod runs, under tini (the image's ENTRYPOINT), through `sh -c` for the arithmetic:
 * JOB_COMPLETION_INDEX is 0-based, --shard is 1-based. Not one user value is in the script: they
 * come as environment variables and are used quoted ("$VAR"), so a course name holding `$(…)`,
 * quotes or spaces is only ever a word. `exec`: wicker itself gets the pod's TERM.
 */
export const LAUNCH_SCRIPT = [
  'set -eu',
  'case "${JOB_COMPLETION_INDEX:-}" in',
  `  ''|*[!0-9]*) echo "wicker: JOB_COMPLETION_INDEX is not a number; run this as an Indexed Job" >&2; exit 2 ;;`,
  'esac',
  'exec wicker launch "$WICKER_JOB_COURSE" --run "$WICKER_JOB_RUN" --shard "$((JOB_COMPLETION_INDEX + 1))/$WICKER_JOB_SHARDS" --agent "$WICKER_JOB_AGENT" --concurrency "$WICKER_JOB_CONCURRENCY" --grace "$WICKER_JOB_GRACE"',
].join('\n')

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
/** the longest Job name: pods are named <job>-<index>-<5 random>, and <job>-<index> is the pod's hostname (≤ 63) */
const JOB_NAME_MAX = 52

function slug(text: string): string {
  return text
    .toLowerCase()
    .replaceAll(/[^a-z0-9]+/g, '-')
    .replaceAll(/^-+|-+$/g, '')
}

/** The Job's name, from the course and the run: a DNS label short enough for every pod's hostname. */
export function jobName(courseName: string, run: string): string {
  const name = ['wicker', slug(courseName), slug(run)].filter((p) => p !== '').join('-')
  if (name.length <= JOB_NAME_MAX) return name
  // cut: a hash of the whole keeps two long names apart
  return `${name.slice(0, JOB_NAME_MAX - 7).replace(/-+$/, '')}-${sha256Hex(`${courseName}\n${run}`).slice(0, 6)}`
}

/** A label value (≤ 63 of [A-Za-z0-9._-], alphanumeric at both ends); the exact value is in an annotation. */
export function labelValue(text: string): string {
  return text
    .replaceAll(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replaceAll(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
}

/**
 * Digest-pinned images never change, so a node's copy is used; a tag other than `latest` is
 * trusted the same way (push a new tag for a new image); `latest` or no tag is pulled every time.
 */
export function pullPolicy(image: string): 'IfNotPresent' | 'Always' {
  if (image.includes('@')) return 'IfNotPresent'
  const last = image.slice(image.lastIndexOf('/') + 1)
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : null
  return tag === null || tag === 'latest' ? 'Always' : 'IfNotPresent'
}

/** The refusals that need no course: each names its flag. */
export function checkK8sOptions(o: Pick<K8sOptions, 'image' | 'agent' | 'secret' | 'pvc' | 'namespace'>): void {
  if (o.image.trim() === '' || /[\s\p{Cc}]/u.test(o.image)) {
    throw new UsageError({code: 'E_K8S_IMAGE', message: `--image ${JSON.stringify(o.image)} is not an image reference.`, hint: 'Give the image the pods run, e.g. --image registry.example.com/team/wicker:0.1.0 (build it from the Dockerfile this command writes).'})
  }
  if (o.agent === 'command') {
    throw new UsageError({code: 'E_K8S_AGENT', message: '--agent command cannot be templated: the pods would need your own agent program, which the image does not have.', hint: 'Write the files with --agent builtin (or claude, codex, gemini), then add your program to the Dockerfile and your --agent command --agent-cmd … to job.yaml\'s launch line yourself.'})
  }
  const untemplated = untemplatedAgent(o.agent)
  if (untemplated) throw new UsageError({code: 'E_K8S_AGENT', ...untemplated})
  for (const [flag, value] of [['--secret', o.secret], ['--pvc', o.pvc]] as const) {
    if (!DNS_SUBDOMAIN.test(value)) throw new UsageError({code: 'E_K8S_NAME', message: `${flag} ${JSON.stringify(value)} is not a Kubernetes object name.`, hint: 'A name is lower-case letters, digits, "-" and ".", starting and ending with a letter or digit, e.g. wicker-course.'})
  }
  if (o.namespace !== null && !DNS_LABEL.test(o.namespace)) {
    throw new UsageError({code: 'E_K8S_NAME', message: `--namespace ${JSON.stringify(o.namespace)} is not a Kubernetes namespace name.`, hint: 'A namespace is up to 63 lower-case letters, digits and "-", starting and ending with a letter or digit, e.g. courses.'})
  }
}

/** The course goes on the volume under its folder's name: a name it must have. */
export function checkCourseName(courseName: string): void {
  if (courseName === '' || courseName === '.' || courseName === '..') {
    throw new UsageError({code: 'E_K8S_COURSE', message: `The course folder has no name (${JSON.stringify(courseName)}) to put on the volume.`, hint: 'Give the course by its own folder, e.g. courses/spa_for_eng.'})
  }
}

/** The Indexed Job as a plain object (what `kubectl apply` gets). */
export function k8sJob(o: K8sOptions): Record<string, unknown> {
  const name = jobName(o.courseName, o.run)
  const labels = {'app.kubernetes.io/name': 'wicker', 'app.kubernetes.io/instance': name, 'wicker/course': labelValue(o.courseName), 'wicker/run': labelValue(o.run)}
  const {keyEnv} = CI_AGENTS[o.agent]
  const env = [
    {name: 'WICKER_JOB_COURSE', value: `${COURSE_MOUNT}/${o.courseName}`},
    {name: 'WICKER_JOB_RUN', value: o.run},
    {name: 'WICKER_JOB_SHARDS', value: String(o.shards)},
    {name: 'WICKER_JOB_AGENT', value: o.agent},
    {name: 'WICKER_JOB_CONCURRENCY', value: String(o.concurrency)},
    {name: 'WICKER_JOB_GRACE', value: `${LAUNCH_GRACE_SECONDS}s`},
    {name: 'NO_COLOR', value: '1'},
    // the pod's hostname (<job>-<index>) is its shard's alone while it lives (podReplacementPolicy: Failed)
    {name: 'WICKER_EXCLUSIVE_HOSTNAME', value: '1'},
    ...(keyEnv ? [{name: keyEnv, valueFrom: {secretKeyRef: {name: o.secret, key: keyEnv}}}] : []),
  ]
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      ...(o.namespace ? {namespace: o.namespace} : {}),
      labels,
      annotations: {'wicker/course': o.courseName, 'wicker/run': o.run, 'wicker/shards': String(o.shards), 'wicker/version': o.wickerVersion},
    },
    spec: {
      completionMode: 'Indexed',
      completions: o.shards,
      parallelism: o.parallelism,
      backoffLimitPerIndex: o.retries,
      podReplacementPolicy: 'Failed',
      ttlSecondsAfterFinished: TTL_SECONDS_AFTER_FINISHED,
      podFailurePolicy: {
        rules: [
          {action: 'FailIndex', onExitCodes: {containerName: 'wicker', operator: 'In', values: [2]}},
          {action: 'Ignore', onPodConditions: [{type: 'DisruptionTarget'}]},
        ],
      },
      template: {
        metadata: {labels},
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: {type: 'RuntimeDefault'}},
          containers: [
            {
              name: 'wicker',
              image: o.image,
              imagePullPolicy: pullPolicy(o.image),
              args: ['sh', '-c', LAUNCH_SCRIPT],
              env,
              resources: podResources(o.agent, o.concurrency),
              securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}},
              volumeMounts: [{name: 'course', mountPath: COURSE_MOUNT}],
            },
          ],
          volumes: [{name: 'course', persistentVolumeClaim: {claimName: o.pvc}}],
        },
      },
    },
  }
}

type Node = {items?: Array<{key: {value?: unknown; commentBefore?: string | null}; value: unknown}>}

/** The Job as YAML, with comments saying why its settings are what they are. */
export async function k8sJobYaml(o: K8sOptions): Promise<string> {
  const YAML = await import('yaml')
  // labels appear twice (the Job's and its pods'): written out both times, not as a YAML alias
  const doc = new YAML.Document(k8sJob(o), {aliasDuplicateObjects: false})
  const {keyEnv, npmPackage} = CI_AGENTS[o.agent]
  const comment = (path: Array<string | number>, text: string) => {
    const parent = (path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true)) as Node | undefined
    const pair = parent?.items?.find((p) => p.key.value === path.at(-1))
    if (!pair) throw new Error(`no ${path.join('.')} in the Job`)
    pair.key.commentBefore = text
      .split('\n')
      .map((l) => ` ${l}`)
      .join('\n')
  }
  doc.commentBefore = [
    ` A Kubernetes Indexed Job: ${o.shards} pod(s), one per shard of run ${o.run}; pod i (JOB_COMPLETION_INDEX,`,
    ` 0-based) runs \`wicker launch --shard i+1/${o.shards}\` on the course folder ${JSON.stringify(o.courseName)}.`,
    ` Before kubectl apply: the course folder (with its .wicker/runs/${o.run}/) is at ${JSON.stringify(`/${o.courseName}`)} on the`,
    ` volume ${o.pvc}${keyEnv ? `, and Secret ${o.secret} holds the agent's key as ${keyEnv}` : ''}.`,
    ' A pod that fails is started again up to backoffLimitPerIndex times, and its launch resumes: it skips the',
    ' packets whose output is already in staging. Cost: each packet is one agent session, whatever the split;',
    ' a retried pod starts sessions only for the packets it has not finished.',
  ].join('\n')
  const spec = ['spec']
  const pod = [...spec, 'template', 'spec']
  const container = [...pod, 'containers', 0]
  comment([...spec, 'parallelism'], 'pods running at once (the rest wait); each runs --concurrency agents')
  comment([...spec, 'backoffLimitPerIndex'], 'restarts per shard; the other shards go on when one fails (no maxFailedIndexes),\nso every shard gets its chance and the Job then says which indexes failed')
  comment([...spec, 'podReplacementPolicy'], 'a shard\'s next pod starts only once the last one has stopped: never two pods on one shard')
  comment([...spec, 'podFailurePolicy'], 'exit 2 is a usage error (a wrong run, course path or flag): starting it again cannot help;\na pod evicted or preempted does not count as a failure')
  comment([...pod, 'terminationGracePeriodSeconds'], `longer than launch's --grace (${LAUNCH_GRACE_SECONDS}s): on deletion launch stops its agents' process trees and writes its ledger`)
  comment([...container, 'imagePullPolicy'], 'IfNotPresent for a digest or a fixed tag, Always for latest or no tag; a digest (image@sha256:…)\nkeeps every shard on the same image')
  comment([...container, 'args'], 'args, not command: the image\'s ENTRYPOINT (tini) stays PID 1 and reaps what agents leave behind.\nKubernetes sets JOB_COMPLETION_INDEX in each pod of an Indexed Job; every other value comes from env below,\nquoted, never spelled in the script')
  comment(
    [...container, 'env'],
    keyEnv ? `the agent's key (${npmPackage}) from Secret ${o.secret}, key ${keyEnv}; never written in this file` : 'the built-in agent needs no key',
  )
  comment(
    [...container, 'resources'],
    `sized from --concurrency ${o.concurrency}: memory ${POD_MEMORY.wickerMi}Mi for wicker + per agent ${o.agent === 'builtin' ? `${POD_MEMORY.perAgent.builtin.requestMi}Mi (built-in)` : `${POD_MEMORY.perAgent.cli.requestMi}Mi (each agent CLI holds hundreds of MB)`},\nlimit twice each agent's share; CPU ${POD_CPU.wickerMilli}m + ${POD_CPU.perAgentMilli}m per agent, no CPU limit (a throttled agent times out)`,
  )
  comment(
    [...pod, 'volumes'],
    `the course, shared by every pod: the claim must be ReadWriteMany (RWX). Shards write only their own ledger\n(.wicker/runs/${o.run}/shards/I-of-${o.shards}/) and outputs named …__shard-I-of-${o.shards}.json, so one volume serves them all.\nWithout RWX, each pod needs its own copy of the course and its outputs must go to \`wicker serve\` instead`,
  )
  return doc.toString({lineWidth: 0})
}

/** The Dockerfile of the image the Job runs: wicker at the version that wrote it, the agent CLI, tini. */
export function k8sDockerfile(o: Pick<K8sOptions, 'agent' | 'image' | 'wickerVersion'>): string {
  const {npmPackage} = CI_AGENTS[o.agent]
  const packages = [`wicker@${o.wickerVersion}`, ...(npmPackage ? [npmPackage] : [])]
  const tag = o.image.includes('@') ? o.image.slice(0, o.image.indexOf('@')) : o.image
  return [
    `# The image of the Job in job.yaml: wicker ${o.wickerVersion}${npmPackage ? ` and the agent CLI ${npmPackage}` : ' (its built-in agent)'}, tini as PID 1.`,
    '# Build and push it from this folder:',
    `#   docker build -t ${tag} .`,
    `#   docker push ${tag}`,
    ...(o.image.includes('@') ? ['# then put the digest docker push prints into job.yaml\'s image.'] : []),
    ...(npmPackage ? [`# For the same agent on every build, pin it: ${npmPackage}@<version>.`] : []),
    '# Node 24, the active LTS (wicker runs on Node 20.19 and later).',
    'FROM node:24-bookworm-slim',
    '',
    '# tini: agent CLIs leave grandchildren behind, and PID 1 must reap them and pass signals on.',
    '# git for wicker, ca-certificates for the agents\' HTTPS.',
    'RUN apt-get update \\',
    '  && apt-get install -y --no-install-recommends tini git ca-certificates \\',
    '  && rm -rf /var/lib/apt/lists/*',
    '',
    '# exactly the wicker that wrote job.yaml',
    `RUN npm install -g ${packages.join(' ')} \\`,
    '  && npm cache clean --force',
    '',
    'ENV NO_COLOR=1',
    'USER node',
    `WORKDIR ${COURSE_MOUNT}`,
    'ENTRYPOINT ["tini", "--"]',
    'CMD ["wicker", "--help"]',
    '',
  ].join('\n')
}
