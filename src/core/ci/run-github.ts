import {isAbsolute, join, relative, resolve, sep} from 'node:path'

import type {AgentKind} from '../launch/agents.js'
import {ownedText, writeOwnedFile} from '../store/owned-file.js'
import {wickerVersion} from './agents.js'
import {findCiCourse, type CiCourseOptions} from './course.js'
import type {CiFilesResult} from './result.js'
import {agentSecret, checkCiAgent, checkGithubOptions, GITHUB_WORKFLOW_OWNER, githubWorkflowBody, HOSTED_TIMEOUT_MINUTES, type Finish, type GithubWorkflowOptions} from './github.js'

export interface CiGithubOptions extends CiCourseOptions {
  shards?: number
  maxParallel?: number
  agent?: AgentKind
  secret?: string | null
  concurrency?: number
  timeoutMinutes?: number
  runsOn?: string[]
  finish?: Finish
  /** the workflow file [default: .github/workflows/wicker.yml at the repository root] */
  out?: string | null
  force?: boolean
  /** the command line to name in a refusal's hint ("wicker ci github spa_for_eng") */
  command?: string
}

export interface CiGithubResult extends CiFilesResult {
  /** the course folder */
  course: string
  /** the repository root the workflow checks out (the folder holding .git; without one, the current folder) */
  root: string
  /** whether a .git entry was found above the course */
  git: boolean
  workflow: GithubWorkflowOptions & {file: string}
}

export const DEFAULT_WORKFLOW = join('.github', 'workflows', 'wicker.yml')

function nextSteps(o: GithubWorkflowOptions, file: string, root: string, git: boolean): string[] {
  const key = agentSecret(o)
  const inWorkflows = relative(join(root, '.github', 'workflows'), file)
  const where = relative(root, file).split(sep).join('/')
  const next: string[] = []
  if (key) next.push(`Add the repository secret ${key.secret} (your ${o.agent} API key): Settings → Secrets and variables → Actions, or \`gh secret set ${key.secret}\`.`)
  if (!git) next.push(`No git repository holds the course: the workflow assumes ${root} is the repository root it checks out.`)
  if (inWorkflows.startsWith('..') || isAbsolute(inWorkflows) || inWorkflows.includes(sep)) next.push(`GitHub runs only workflows in .github/workflows/ at the repository root: move ${where} there.`)
  next.push(`Commit ${where} and push it to the default branch, then run it from the Actions tab (Run workflow) or with \`gh workflow run ${where.split('/').at(-1)}\`.`)
  if (o.finish === 'pr') next.push('For the pull request: allow "GitHub Actions to create and approve pull requests" (Settings → Actions → General → Workflow permissions).')
  else next.push('When it finishes: the preview is in the run\'s summary; download its wicker-collected artifact, then `wicker collect --from`, `wicker preview` and `wicker merge` here.')
  next.push(`${o.shards} shard job${o.shards === 1 ? '' : 's'}, ${o.maxParallel} at once, each running up to ${o.concurrency} agent session${o.concurrency === 1 ? '' : 's'} at once; a failed shard resumes with "Re-run failed jobs".`)
  return next
}

/**
 * Writes the GitHub Actions workflow of a course: `.github/workflows/wicker.yml` at the root of the
 * git repository holding it (or --out), as a file the user owns (store/owned-file.ts): written again
 * only while unedited, or with `force`, after a .bak copy.
 */
export async function runCiGithub(options: CiGithubOptions): Promise<{result: CiGithubResult; warnings: string[]}> {
  const warnings = options.warnings ?? []
  const agent = options.agent ?? 'builtin'
  // before the course is looked for: this flag is wrong whatever the course
  checkCiAgent(agent)
  const {dir, root, git, coursePath} = await findCiCourse({...options, warnings})
  const shards = options.shards ?? 4
  const workflow: GithubWorkflowOptions = {
    coursePath,
    shards,
    maxParallel: options.maxParallel ?? shards,
    agent: agent as GithubWorkflowOptions['agent'],
    secret: options.secret ?? null,
    concurrency: options.concurrency ?? 4,
    timeoutMinutes: options.timeoutMinutes ?? HOSTED_TIMEOUT_MINUTES,
    runsOn: options.runsOn && options.runsOn.length > 0 ? options.runsOn : ['ubuntu-latest'],
    finish: options.finish ?? 'pr',
    wickerVersion: wickerVersion(),
  }
  checkGithubOptions(workflow)
  if (workflow.maxParallel > shards) warnings.push(`--max-parallel ${workflow.maxParallel} is more than the ${shards} shard job(s): at most ${shards} run at once.`)
  if (workflow.timeoutMinutes > HOSTED_TIMEOUT_MINUTES && workflow.runsOn.every((l) => /^(ubuntu|windows|macos)-/.test(l))) warnings.push(`--timeout-minutes ${workflow.timeoutMinutes}: GitHub-hosted runners stop a job after ${HOSTED_TIMEOUT_MINUTES} minutes whatever it says; more needs a self-hosted runner (--runs-on).`)
  const file = options.out ? resolve(options.cwd, options.out) : join(root, DEFAULT_WORKFLOW)
  const written = await writeOwnedFile(file, ownedText(GITHUB_WORKFLOW_OWNER, githubWorkflowBody(workflow)), {force: options.force, command: options.command ?? `wicker ci github ${options.course}`, root})
  return {result: {course: dir, root, git, workflow: {...workflow, file}, files: [written], next: nextSteps(workflow, file, root, git)}, warnings}
}
