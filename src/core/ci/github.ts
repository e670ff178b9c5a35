import {Document, isMap, isScalar, isSeq, Scalar, type YAMLMap} from 'yaml'

import {COURSE_FILES} from '../course/load.js'
import {UsageError} from '../errors.js'
import type {AgentKind} from '../launch/agents.js'
import {STAGING_DIRS} from '../store/paths.js'
import {CI_AGENTS, untemplatedAgent, type CiAgentKind} from './agents.js'

/**
 * The GitHub Actions workflow of `wicker ci github`, as a pure function of its options: one job
 * prepares the run, a matrix of shard jobs launches it, one job gathers the shards' outputs, proves
 * nothing was lost and merges (or stops for review). The text is a template the user owns: every
 * value that came from the user is a quoted YAML string, reaches the scripts only through `env:`
 * and is used there as "$NAME", so no path can become shell code or a `${{ }}` expression.
 */
export const FINISHES = ['pr', 'review'] as const
export type Finish = (typeof FINISHES)[number]

/** jobs a matrix may make (GitHub's limit, per workflow run) */
export const GITHUB_MATRIX_LIMIT = 256
/** the longest a job may run on a GitHub-hosted runner, in minutes (self-hosted runners allow up to 5 days) */
export const HOSTED_TIMEOUT_MINUTES = 360

export interface GithubWorkflowOptions {
  /** the course folder relative to the repository root, with `/` separators ("." for the root itself) */
  coursePath: string
  shards: number
  maxParallel: number
  agent: CiAgentKind
  /** the repository secret holding the agent's API key; null for the built-in agent */
  secret: string | null
  /** agents at once on each shard machine */
  concurrency: number
  timeoutMinutes: number
  /** runner labels: one, or several a self-hosted runner must all have */
  runsOn: string[]
  finish: Finish
  /** the wicker version every job installs: the one writing the workflow */
  wickerVersion: string
}

/** who the owned-file header names (`# wicker ci github sha256:…`) */
export const GITHUB_WORKFLOW_OWNER = 'wicker ci github'

/** A GitHub secret name: letters, digits and `_`, not starting with a digit or GITHUB_. */
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** An agent a CI template can install and run: any but `command`, whose command line only its user knows. */
export function checkCiAgent(agent: string): asserts agent is CiAgentKind {
  if (agent === 'command') {
    throw new UsageError({
      code: 'E_CI_AGENT_COMMAND',
      message: '--agent command cannot go into a CI template: its command line is yours, so wicker cannot know what to install or which key it needs.',
      hint: 'Pick --agent builtin, claude, codex or gemini, then edit the install and launch steps for your own agent (launch --agent command --agent-cmd …).',
      details: {flag: '--agent'},
    })
  }
  const untemplated = untemplatedAgent(agent)
  if (untemplated) throw new UsageError({code: 'E_CI_AGENT', ...untemplated, details: {flag: '--agent'}})
  if (!Object.hasOwn(CI_AGENTS, agent)) throw new UsageError({code: 'E_CI_AGENT', message: `--agent ${agent} is not an agent wicker knows.`, hint: 'Pick --agent builtin, claude, codex or gemini.', details: {flag: '--agent'}})
}

/**
 * The options' own mistakes, each a usage error naming its flag. (The integer flags' ranges are
 * checked by the CLI; they are checked again here for callers of the core.)
 */
export function checkGithubOptions(o: GithubWorkflowOptions): void {
  const range = (flag: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) throw new UsageError({code: 'E_CI_RANGE', message: `${flag} ${value} is out of range: give an integer from ${min} to ${max}.`, hint: flag === '--shards' ? `A GitHub Actions matrix makes at most ${GITHUB_MATRIX_LIMIT} jobs.` : `Pass ${flag} from ${min} to ${max}.`, details: {flag, value}})
  }
  range('--shards', o.shards, 1, GITHUB_MATRIX_LIMIT)
  range('--max-parallel', o.maxParallel, 1, GITHUB_MATRIX_LIMIT)
  range('--concurrency', o.concurrency, 1, 256)
  range('--timeout-minutes', o.timeoutMinutes, 1, 4320)
  checkCiAgent(o.agent)
  const keyEnv = CI_AGENTS[o.agent].keyEnv
  if (o.secret !== null) {
    if (keyEnv === null) throw new UsageError({code: 'E_CI_SECRET', message: `--secret ${o.secret}: the ${o.agent} agent needs no API key, so there is no secret to name.`, hint: 'Leave --secret out, or pick an agent that needs a key (claude, codex, gemini).', details: {flag: '--secret'}})
    if (!SECRET_NAME.test(o.secret) || /^GITHUB_/i.test(o.secret)) {
      throw new UsageError({code: 'E_CI_SECRET', message: `--secret ${JSON.stringify(o.secret)} is not a GitHub secret name.`, hint: 'A secret name has letters, digits and "_" only, does not start with a digit, and does not start with GITHUB_ (e.g. ANTHROPIC_API_KEY).', details: {flag: '--secret'}})
    }
  }
  if (o.runsOn.length === 0) throw new UsageError({code: 'E_CI_RUNS_ON', message: '--runs-on needs at least one runner label.', hint: 'Pass --runs-on ubuntu-latest, or your self-hosted runner\'s labels (repeatable).', details: {flag: '--runs-on'}})
  for (const [flag, value] of [['the course path', o.coursePath], ...o.runsOn.map((l) => ['--runs-on', l] as const)] as const) {
    // GitHub evaluates `${{` anywhere in a workflow's values: a path holding one would be an expression
    if (value.includes('${{')) throw new UsageError({code: 'E_CI_EXPRESSION', message: `${flag} ${JSON.stringify(value)} holds "\${{", which GitHub Actions would evaluate as an expression.`, hint: 'Rename the folder (or the label) so it has no "${{" in it.', details: {flag}})
    if (/[\0\r\n]/.test(value) || value.trim() === '') throw new UsageError({code: 'E_CI_VALUE', message: `${flag} ${JSON.stringify(value)} is empty or holds a line break, so it cannot go into a workflow.`, hint: 'Use a path or label on one line.', details: {flag}})
  }
}

/** The agent's key: [environment variable the CLI reads, secret it comes from], or null for builtin. */
export function agentSecret(o: Pick<GithubWorkflowOptions, 'agent' | 'secret'>): {env: string; secret: string} | null {
  const keyEnv = CI_AGENTS[o.agent].keyEnv
  return keyEnv === null ? null : {env: keyEnv, secret: o.secret ?? keyEnv}
}

const quoted = (value: string) => {
  const node = new Scalar(value)
  node.type = Scalar.QUOTE_DOUBLE
  return node
}

const script = (lines: string[]) => {
  const node = new Scalar(`set -euo pipefail\n${lines.join('\n')}\n`)
  node.type = Scalar.BLOCK_LITERAL
  return node
}

/** the current majors (December 2026), all on Node 24: upload-artifact 7 and download-artifact 8 go together */
const CHECKOUT = {name: 'Check out the repository', uses: 'actions/checkout@v6'}
/** where agents run: no token left in .git/config for an agent (or a prompt injected into one) to read */
const CHECKOUT_NO_TOKEN = {...CHECKOUT, with: {'persist-credentials': false}}
/** Node 24, the active LTS, as in the ci k8s image (wicker runs on Node 20.19 and later) */
const SETUP_NODE = {name: 'Set up Node.js', uses: 'actions/setup-node@v6', with: {'node-version': 24}}
// a function: a YAML node is not shared between jobs (a comment on one would show on all)
const installWicker = () => ({name: 'Install wicker', run: script(['npm install -g "wicker@$WICKER_VERSION"'])})

/** there is work: prepare found packets to write (else the shard and gather jobs are skipped) */
const PACKETS_STEP = "steps.prepare.outputs.packets != '0'"
const PACKETS_JOB = "needs.prepare.outputs.packets != '0'"

/** what a shard's artifact holds: its staging folder and its ledger folder */
const SHARD_DIR = '${{ runner.temp }}/wicker-shard'
/** a shard's artifact, one per shard for the whole run: each attempt's upload replaces the last */
const SHARD_ARTIFACT = 'wicker-shard-${{ matrix.shard }}'

/**
 * download-artifact's inputs for an artifact an earlier attempt may have uploaded: with a token it
 * goes through the REST API, where artifacts belong to the run, not the attempt ("Re-run failed
 * jobs" runs a new attempt, and a job then still finds what prepare or its own first try uploaded).
 * The token needs `actions: read`.
 */
const ANY_ATTEMPT = {'github-token': '${{ github.token }}', 'run-id': '${{ github.run_id }}'}

/** Copies the run's plan (the wicker-run artifact) into the course, where launch and status read it. */
const PUT_RUN = ['mkdir -p "$COURSE/.wicker/runs/$RUN"', 'cp -R "$RUNNER_TEMP/wicker-run/." "$COURSE/.wicker/runs/$RUN/"']

function prepareJob(o: GithubWorkflowOptions) {
  return {
    name: 'Prepare the run',
    'runs-on': runsOn(o),
    outputs: {run: '${{ steps.prepare.outputs.run }}', packets: '${{ steps.prepare.outputs.packets }}'},
    steps: [
      CHECKOUT_NO_TOKEN,
      SETUP_NODE,
      installWicker(),
      {
        name: `Split the missing baskets into ${o.shards} shard${o.shards === 1 ? '' : 's'}`,
        id: 'prepare',
        env: {RUN: 'gh-${{ github.run_id }}'},
        run: script([
          'wicker prepare-segments "$COURSE" --run "$RUN" --shards "$SHARDS" --json > "$RUNNER_TEMP/prepare.json"',
          `prepared=$(node -e 'const {result} = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(result.run, result.totals.packets)' "$RUNNER_TEMP/prepare.json")`,
          'run=${prepared% *}',
          'packets=${prepared#* }',
          'echo "run=$run" >> "$GITHUB_OUTPUT"',
          'echo "packets=$packets" >> "$GITHUB_OUTPUT"',
          'if [ "$packets" = 0 ]; then',
          '  echo "::notice::Nothing to do: every new LEGO of $COURSE has a basket."',
          '  exit 0',
          'fi',
          'echo "Prepared run $run: $packets packet(s) in $SHARDS shard(s)."',
          // copied out of the course: an upload path is a glob, and the course path is the user's
          'mkdir -p "$RUNNER_TEMP/wicker-run"',
          'cp -R "$COURSE/.wicker/runs/$run/." "$RUNNER_TEMP/wicker-run/"',
        ]),
      },
      {
        name: 'Keep the prepared run for the shard jobs',
        if: PACKETS_STEP,
        uses: 'actions/upload-artifact@v7',
        with: {name: 'wicker-run', path: '${{ runner.temp }}/wicker-run', 'include-hidden-files': true, 'if-no-files-found': 'error', overwrite: true},
      },
    ],
  }
}

function shardJob(o: GithubWorkflowOptions) {
  const agent = CI_AGENTS[o.agent]
  const key = agentSecret(o)
  const packages = ['"wicker@$WICKER_VERSION"', ...(agent.npmPackage ? [`"${agent.npmPackage}"`] : [])]
  return {
    name: `Shard \${{ matrix.shard }} of ${o.shards}`,
    needs: 'prepare',
    if: PACKETS_JOB,
    'runs-on': runsOn(o),
    'timeout-minutes': o.timeoutMinutes,
    strategy: {
      'fail-fast': false,
      'max-parallel': o.maxParallel,
      matrix: {shard: Array.from({length: o.shards}, (_, i) => i + 1)},
    },
    env: {RUN: '${{ needs.prepare.outputs.run }}', SHARD_ID: `\${{ matrix.shard }}-of-${o.shards}`},
    steps: [
      CHECKOUT_NO_TOKEN,
      SETUP_NODE,
      {name: agent.npmPackage ? `Install wicker and the ${o.agent} agent` : 'Install wicker', run: script([`npm install -g ${packages.join(' ')}`])},
      {name: 'Fetch the prepared run', uses: 'actions/download-artifact@v8', with: {name: 'wicker-run', path: '${{ runner.temp }}/wicker-run', ...ANY_ATTEMPT}},
      {
        name: 'Look for this shard\'s outputs from an earlier attempt',
        id: 'earlier',
        env: {GH_TOKEN: '${{ github.token }}', ARTIFACT: SHARD_ARTIFACT},
        run: script([
          // captured first: a failing gh fails the step here, where a pipe into grep -q would read as "not found"
          `names=$(gh api --paginate "repos/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID/artifacts?per_page=100" --jq '.artifacts[] | select(.expired | not) | .name')`,
          'if grep -Fxq -- "$ARTIFACT" <<< "$names"; then',
          '  echo "found=true" >> "$GITHUB_OUTPUT"',
          '  echo "Found $ARTIFACT: this shard resumes from it."',
          'else',
          '  echo "found=false" >> "$GITHUB_OUTPUT"',
          '  echo "No $ARTIFACT yet: this shard starts from the beginning."',
          'fi',
        ]),
      },
      {
        name: 'Fetch this shard\'s outputs from an earlier attempt',
        if: "steps.earlier.outputs.found == 'true'",
        uses: 'actions/download-artifact@v8',
        with: {name: SHARD_ARTIFACT, path: SHARD_DIR, ...ANY_ATTEMPT},
      },
      {
        name: 'Put the run and earlier outputs in place',
        run: script([
          ...PUT_RUN,
          'if [ -d "$RUNNER_TEMP/wicker-shard/ledger" ]; then',
          '  mkdir -p "$COURSE/.wicker/runs/$RUN/shards/$SHARD_ID"',
          '  cp -R "$RUNNER_TEMP/wicker-shard/ledger/." "$COURSE/.wicker/runs/$RUN/shards/$SHARD_ID/"',
          // a lock is the machine's that took it: this is another runner, and the attempt that held it is over
          '  rm -f "$COURSE/.wicker/runs/$RUN/shards/$SHARD_ID"/lock "$COURSE/.wicker/runs/$RUN/shards/$SHARD_ID"/lock.*',
          'fi',
          'mkdir -p "$RUNNER_TEMP/wicker-shard/staging"',
        ]),
      },
      {
        name: `Launch shard \${{ matrix.shard }} of ${o.shards}`,
        ...(key ? {env: {[key.env]: `\${{ secrets.${key.secret} }}`}} : {}),
        // exit 1 (some packets failed) fails the job: "Re-run failed jobs" runs only what is not done
        run: script([`wicker launch "$COURSE" --run "$RUN" --shard \${{ matrix.shard }}/${o.shards} --agent ${o.agent} --concurrency ${o.concurrency} --staging "$RUNNER_TEMP/wicker-shard/staging"`]),
      },
      {
        name: 'Keep the shard\'s ledger with its outputs',
        if: 'always()',
        run: script([
          'if [ -d "$COURSE/.wicker/runs/$RUN/shards/$SHARD_ID" ]; then',
          '  mkdir -p "$RUNNER_TEMP/wicker-shard/ledger"',
          '  cp -R "$COURSE/.wicker/runs/$RUN/shards/$SHARD_ID/." "$RUNNER_TEMP/wicker-shard/ledger/"',
          // the ledger, upload record, logs and work files travel; a lock left by a killed launch does not
          '  rm -f "$RUNNER_TEMP/wicker-shard/ledger"/lock "$RUNNER_TEMP/wicker-shard/ledger"/lock.*',
          'fi',
        ]),
      },
      {
        name: 'Upload the shard\'s outputs',
        if: 'always()',
        uses: 'actions/upload-artifact@v7',
        with: {name: SHARD_ARTIFACT, path: SHARD_DIR, overwrite: true, 'include-hidden-files': true, 'if-no-files-found': 'warn'},
      },
    ],
  }
}

function gatherJob(o: GithubWorkflowOptions) {
  const staging = `"$COURSE/${STAGING_DIRS[0]}"`
  const steps: unknown[] = [
    CHECKOUT,
    SETUP_NODE,
    installWicker(),
    {name: 'Fetch the prepared run', uses: 'actions/download-artifact@v8', with: {name: 'wicker-run', path: '${{ runner.temp }}/wicker-run', ...ANY_ATTEMPT}},
    // each artifact in its own folder: wicker-shards/wicker-shard-<i>/{staging,ledger}
    {name: 'Fetch every shard\'s outputs', uses: 'actions/download-artifact@v8', with: {pattern: 'wicker-shard-*', path: '${{ runner.temp }}/wicker-shards', ...ANY_ATTEMPT}},
    {
      name: 'Collect the outputs into staging',
      run: script([
        ...PUT_RUN,
        'from=()',
        'for dir in "$RUNNER_TEMP"/wicker-shards/wicker-shard-*; do',
        '  [ -d "$dir" ] || continue',
        '  shard="${dir##*/wicker-shard-}"',
        '  if [ -d "$dir/ledger" ]; then',
        '    mkdir -p "$COURSE/.wicker/runs/$RUN/shards/$shard-of-$SHARDS"',
        '    cp -R "$dir/ledger/." "$COURSE/.wicker/runs/$RUN/shards/$shard-of-$SHARDS/"',
        '  fi',
        '  if [ -d "$dir/staging" ]; then from+=(--from "$dir/staging"); fi',
        'done',
        'if [ "${#from[@]}" -eq 0 ]; then',
        '  echo "::warning::No shard uploaded any output."',
        'else',
        '  wicker collect "$COURSE" "${from[@]}"',
        'fi',
      ]),
    },
    {
      // the proof that nothing was lost: every packet done in exactly one shard, or listed as missing with its shard
      name: 'Check that every packet is done',
      run: script([
        'code=0',
        'wicker status "$COURSE" --run "$RUN" --require-complete > "$RUNNER_TEMP/status.txt" 2>&1 || code=$?',
        'cat "$RUNNER_TEMP/status.txt"',
        `{ echo '### wicker status'; echo; echo '\`\`\`text'; cat "$RUNNER_TEMP/status.txt"; echo '\`\`\`'; } >> "$GITHUB_STEP_SUMMARY"`,
        'if [ "$code" -ne 0 ]; then',
        '  echo "::error::Run $RUN is not complete (wicker status exited $code): re-run the failed shard jobs, then this one."',
        '  exit "$code"',
        'fi',
      ]),
    },
    {
      name: 'Preview what the run adds to canon',
      id: 'preview',
      run: script([
        // --detailed-exitcode: 0 nothing to do, 6 changes ready, anything else a failure (bash -e would stop at the 6)
        'code=0',
        'wicker preview "$COURSE" --detailed-exitcode > "$RUNNER_TEMP/preview.txt" || code=$?',
        'cat "$RUNNER_TEMP/preview.txt"',
        `{ echo '### wicker preview'; echo; echo '\`\`\`text'; head -c 60000 "$RUNNER_TEMP/preview.txt"; echo '\`\`\`'; } >> "$GITHUB_STEP_SUMMARY"`,
        'case "$code" in',
        '  0) echo "changes=false" >> "$GITHUB_OUTPUT"; echo "::notice::Nothing to merge: canon already holds what the run wrote." ;;',
        '  6) echo "changes=true" >> "$GITHUB_OUTPUT" ;;',
        '  *) echo "::error::wicker preview exited $code (3: blocked, e.g. a conflict with canon; see its output above)"; exit "$code" ;;',
        'esac',
      ]),
    },
  ]
  if (o.finish === 'pr') {
    steps.push({
      name: 'Merge and open a pull request',
      if: 'steps.preview.outputs.changes == \'true\'',
      env: {GH_TOKEN: '${{ github.token }}', BASE: '${{ github.ref_name }}'},
      run: script([
        'branch="wicker/$RUN"',
        'if git ls-remote --exit-code --heads origin "$branch" > /dev/null; then',
        '  echo "::error::Branch $branch already exists (an earlier attempt of this run pushed it): open its pull request, or delete the branch and re-run this job."',
        '  exit 1',
        'fi',
        'wicker merge "$COURSE" --yes',
        'git config user.name "github-actions[bot]"',
        'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
        'git switch -c "$branch"',
        // only canon: staging, .applied/ and .wicker/ stay out of the pull request (literal: a path is no glob)
        `git --literal-pathspecs add -- "$COURSE/${COURSE_FILES.canon}"`,
        'git commit -m "wicker: baskets of run $RUN"',
        'git push origin "$branch"',
        `{ echo "Baskets written by wicker run \\\`$RUN\\\` (\${GITHUB_SERVER_URL}/\${GITHUB_REPOSITORY}/actions/runs/\${GITHUB_RUN_ID}), merged into canon by \\\`wicker merge\\\`."; echo; echo '\`\`\`text'; head -c 60000 "$RUNNER_TEMP/preview.txt"; echo '\`\`\`'; } > "$RUNNER_TEMP/pr-body.md"`,
        'gh pr create --base "$BASE" --head "$branch" --title "wicker: baskets of run $RUN" --body-file "$RUNNER_TEMP/pr-body.md"',
      ]),
    })
  } else {
    steps.push(
      {
        name: 'Keep the collected staging for review',
        if: 'steps.preview.outputs.changes == \'true\'',
        run: script([
          'mkdir -p "$RUNNER_TEMP/wicker-collected"',
          `cp -R ${staging}/. "$RUNNER_TEMP/wicker-collected/"`,
          'printf \'\\nTo merge: download the wicker-collected artifact of this run, then run `wicker collect "%s" --from <its folder>`, `wicker preview "%s"` and `wicker merge "%s"`.\\n\' "$COURSE" "$COURSE" "$COURSE" >> "$GITHUB_STEP_SUMMARY"',
        ]),
      },
      {
        name: 'Upload the collected staging',
        if: 'steps.preview.outputs.changes == \'true\'',
        uses: 'actions/upload-artifact@v7',
        with: {name: 'wicker-collected', path: '${{ runner.temp }}/wicker-collected', overwrite: true, 'include-hidden-files': true, 'if-no-files-found': 'error'},
      },
    )
  }
  return {
    name: o.finish === 'pr' ? 'Gather, check and open a pull request' : 'Gather, check and keep for review',
    needs: ['prepare', 'shard'],
    // never without a prepared run, nor when it has nothing to do
    if: `\${{ !cancelled() && needs.prepare.result == 'success' && ${PACKETS_JOB} }}`,
    'runs-on': runsOn(o),
    ...(o.finish === 'pr' ? {permissions: {actions: 'read', contents: 'write', 'pull-requests': 'write'}} : {}),
    env: {RUN: '${{ needs.prepare.outputs.run }}'},
    steps,
  }
}

function runsOn(o: GithubWorkflowOptions): Scalar | Scalar[] {
  return o.runsOn.length === 1 ? quoted(o.runsOn[0]!) : o.runsOn.map(quoted)
}

/** Puts `text` as a comment above the key at `path` (a key of a mapping). */
function note(doc: Document, path: Array<string | number>, text: string): void {
  const parent = doc.getIn(path.slice(0, -1), true)
  if (!isMap(parent)) throw new Error(`no mapping at ${path.slice(0, -1).join('.')}`)
  const pair = (parent as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === path.at(-1))
  if (!pair || !isScalar(pair.key)) throw new Error(`no key ${path.join('.')}`)
  pair.key.commentBefore = text
    .split('\n')
    .map((l) => ` ${l}`)
    .join('\n')
}

/** The index of the first step whose name starts with `name`, in the step list at `path`. */
function stepAt(doc: Document, path: string[], name: string): number {
  const names = (doc.getIn(path, true) as {items: unknown[]}).items.map((item) => (isMap(item) ? item.get('name') : undefined))
  const index = names.findIndex((n) => typeof n === 'string' && n.startsWith(name))
  if (index < 0) throw new Error(`no step "${name}" in ${path.join('.')}`)
  return index
}

/** The workflow as a YAML document, with comments on what a user will tune. */
export function githubWorkflow(o: GithubWorkflowOptions): Document {
  checkGithubOptions(o)
  const key = agentSecret(o)
  const doc = new Document({
    name: quoted(`wicker: ${o.coursePath}`),
    on: {workflow_dispatch: null},
    concurrency: {group: quoted(`wicker ${o.coursePath}`), 'cancel-in-progress': false},
    permissions: {actions: 'read', contents: 'read'},
    env: {COURSE: quoted(o.coursePath), SHARDS: quoted(String(o.shards)), WICKER_VERSION: quoted(o.wickerVersion), NO_COLOR: quoted('1')},
    defaults: {run: {shell: 'bash'}},
    jobs: {prepare: prepareJob(o), shard: shardJob(o), gather: gatherJob(o)},
  }, {aliasDuplicateObjects: false})
  doc.commentBefore = [
    ` Written by \`wicker ci github\` ${o.wickerVersion}: a sharded launch of the course ${o.coursePath}.`,
    ' This file is yours: edit it freely. `wicker ci github` replaces it again only while it is',
    ' unedited, or with --force (and then keeps what was here as a .bak beside it).',
    '',
    ' prepare splits the missing baskets into shards; each shard job launches its share;',
    ' gather collects every shard\'s outputs, proves no packet is missing, previews and',
    o.finish === 'pr' ? ' merges, then opens a pull request with the canon change.' : ' stops for review: the preview is in the run\'s summary, the outputs in its wicker-collected artifact.',
    ' A shard that fails: "Re-run failed jobs" resumes it where it stopped.',
    ' Agent sessions: one per packet (plus retries of failed ones), however many shards: shards add',
    ' machines and minutes, not sessions.',
  ].join('\n')
  note(doc, ['on'], 'Run by hand (Actions → Run workflow, or `gh workflow run`): agent sessions cost money, so never on push.')
  note(doc, ['concurrency'], 'Two runs of this course never overlap; a second one waits for the first.')
  note(doc, ['permissions'], 'Read only: actions (to download the artifacts of earlier attempts) and contents (checkout).')
  note(doc, ['env', 'WICKER_VERSION'], 'Every job installs exactly this wicker, the one that wrote this file.')
  note(doc, ['jobs', 'shard', 'timeout-minutes'], `A job's time limit: ${HOSTED_TIMEOUT_MINUTES} minutes at most on GitHub-hosted runners (self-hosted: up to 5 days).`)
  note(doc, ['jobs', 'shard', 'strategy', 'max-parallel'], `Shard jobs at once (at most ${GITHUB_MATRIX_LIMIT} jobs in a matrix); each runs --concurrency agents.`)
  const matrix = doc.getIn(['jobs', 'shard', 'strategy', 'matrix', 'shard'], true)
  // one line, however many shards
  if (isSeq(matrix)) matrix.flow = true
  const steps = ['jobs', 'shard', 'steps']
  const install = stepAt(doc, steps, 'Install wicker')
  const launch = stepAt(doc, steps, 'Launch shard')
  if (CI_AGENTS[o.agent].npmPackage) note(doc, [...steps, install, 'run'], 'Pin the agent CLI to a version you have tried, e.g. "@anthropic-ai/claude-code@1.2.3".')
  if (key) note(doc, [...steps, launch, 'env'], `The API key, from the repository secret ${key.secret} (Settings → Secrets and variables → Actions); never printed.`)
  note(doc, [...steps, launch, 'run'], '--concurrency: agent sessions at once on one shard machine (mind its memory: each agent CLI holds hundreds of MB).')
  note(doc, ['jobs', 'shard', 'strategy', 'fail-fast'], 'The other shards go on when one fails; "Re-run failed jobs" then runs only the failed ones, and they resume.')
  note(doc, [...steps, stepAt(doc, steps, 'Look for this shard'), 'run'], [
    'The run\'s artifacts, listed through the REST API (gh is on GitHub-hosted runners; the token needs actions: read).',
    'A first attempt finds none (found=false). A failing listing fails the job rather than start over:',
    'a shard that started from nothing would pay again for every packet it did, and its upload would',
    'then replace the artifact that held them.',
  ].join('\n'))
  note(doc, [...steps, stepAt(doc, steps, 'Fetch this shard'), 'if'], 'Only when the listing found it, and then a failed download fails the job: on a re-run it brings back what this shard already did.')
  note(doc, ['jobs', 'gather', 'if'], 'Also after a failed shard, to report which packets are missing and which shard owes them.')
  const gatherSteps = ['jobs', 'gather', 'steps']
  note(doc, [...gatherSteps, stepAt(doc, gatherSteps, 'Preview'), 'run'], 'preview --detailed-exitcode: 0 nothing to merge, 6 changes ready, anything else (3: blocked) fails the job.')
  if (o.finish === 'pr') note(doc, ['jobs', 'gather', 'permissions'], 'Only this job writes: it pushes a branch and opens a pull request (allow it under Settings → Actions → General → Workflow permissions).')
  return doc
}

/** The workflow's text: YAML with the comments, without the owned-file header (ownedText adds it). */
export function githubWorkflowBody(o: GithubWorkflowOptions): string {
  return githubWorkflow(o).toString({lineWidth: 0, nullStr: ''})
}
