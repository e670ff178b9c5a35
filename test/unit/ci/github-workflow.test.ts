import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'

import {CI_AGENTS} from '../../../src/core/ci/agents.js'
import {GITHUB_WORKFLOW_OWNER, githubWorkflowBody, type GithubWorkflowOptions} from '../../../src/core/ci/github.js'
import {ownedText} from '../../../src/core/store/owned-file.js'
import {workflowErrors} from '../../helpers/github-workflow.js'
import type {Job, Step, Workflow} from '../../helpers/github-runner.js'

const BASE: GithubWorkflowOptions = {
  coursePath: 'courses/tlon_for_vesk',
  shards: 3,
  maxParallel: 3,
  agent: 'claude',
  secret: null,
  concurrency: 4,
  timeoutMinutes: 360,
  runsOn: ['ubuntu-latest'],
  finish: 'pr',
  wickerVersion: '0.1.0',
}

const text = (o: Partial<GithubWorkflowOptions> = {}) => ownedText(GITHUB_WORKFLOW_OWNER, githubWorkflowBody({...BASE, ...o}))

const workflow = (o: Partial<GithubWorkflowOptions> = {}) => parse(text(o)) as Workflow
const step = (job: Job, name: string) => {
  const found = job.steps.find((s) => s.name?.startsWith(name))
  expect(found, `a step named "${name}…"`).toBeDefined()
  return found!
}
const runs = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run === undefined ? [] : [s.run])))

const OPTION_SETS: Array<[string, Partial<GithubWorkflowOptions>]> = [
  ['one shard, builtin', {shards: 1, maxParallel: 1, agent: 'builtin'}],
  ['three shards, claude', {}],
  ['256 shards, 20 at once, codex with a named secret', {shards: 256, maxParallel: 20, agent: 'codex', secret: 'TEAM_CODEX_KEY'}],
  ['gemini, review', {agent: 'gemini', finish: 'review'}],
  ['builtin, review, self-hosted labels, a day long', {agent: 'builtin', finish: 'review', runsOn: ['self-hosted', 'linux', 'x64'], timeoutMinutes: 1440}],
  ['a course path with spaces, quotes, $ and backticks', {coursePath: `courses/it's "plon" $(touch /tmp/pwned) \`id\` & more`}],
  ['the course at the repository root', {coursePath: '.'}],
]

describe('the GitHub Actions workflow passes GitHub\'s own parser, offline', () => {
  it.each(OPTION_SETS)('%s: parses as YAML and has zero workflow errors', async (_name, o) => {
    const content = text(o)
    expect(() => parse(content)).not.toThrow()
    expect(await workflowErrors(content)).toEqual([])
  })

  it('the validator is not vacuous: it catches a job without runs-on, a bad expression and a needs of no job', async () => {
    const good = text()
    expect(await workflowErrors(good)).toEqual([])
    const noRunsOn = good.replace(/^ {4}runs-on: "ubuntu-latest"\n/m, '')
    expect(noRunsOn).not.toBe(good)
    expect((await workflowErrors(noRunsOn)).join('\n')).toMatch(/runs-on/)
    const badExpression = good.replace('${{ matrix.shard }}/3', '${{ matrix.shard ) }}/3')
    expect(badExpression).not.toBe(good)
    expect(await workflowErrors(badExpression)).not.toEqual([])
    const unknownNeeds = good.replace('needs: prepare', 'needs: prepare-typo')
    expect(unknownNeeds).not.toBe(good)
    expect((await workflowErrors(unknownNeeds)).join('\n')).toMatch(/prepare-typo/)
  })

  it('is a file wicker owns: its first line is the header whose hash matches the rest', () => {
    const content = text()
    expect(content.split('\n')[0]).toMatch(/^# wicker ci github sha256:[0-9a-f]{64}$/)
    expect(text()).toBe(content)
  })
})

describe('what the workflow does', () => {
  it('runs only by hand, one run per course at a time, reading by default', () => {
    const w = workflow()
    expect(Object.keys(w.on)).toEqual(['workflow_dispatch'])
    expect(w.concurrency.group).toContain(BASE.coursePath)
    expect(w.permissions).toEqual({actions: 'read', contents: 'read'})
    expect(w.jobs.prepare.permissions).toBeUndefined()
    expect(w.jobs.shard.permissions).toBeUndefined()
  })

  it('leaves no token in the checkout where agents run; only gather, which pushes, keeps it', () => {
    const w = workflow({agent: 'claude'})
    for (const job of [w.jobs.prepare, w.jobs.shard]) expect(step(job, 'Check out')).toMatchObject({uses: 'actions/checkout@v6', with: {'persist-credentials': false}})
    expect(step(w.jobs.gather, 'Check out').with).toBeUndefined()
  })

  it('gives write permissions to the gather job only when it opens a pull request', () => {
    expect(workflow({finish: 'pr'}).jobs.gather.permissions).toEqual({actions: 'read', contents: 'write', 'pull-requests': 'write'})
    expect(workflow({finish: 'review'}).jobs.gather.permissions).toBeUndefined()
  })

  it('installs exactly the wicker that wrote it in every job, and prepares the run in N shards', () => {
    const w = workflow()
    expect(w.env.WICKER_VERSION).toBe('0.1.0')
    for (const job of Object.values(w.jobs)) {
      expect(step(job, 'Set up Node.js')).toMatchObject({uses: 'actions/setup-node@v6', with: {'node-version': 24}})
      expect(step(job, 'Install wicker').run).toContain('npm install -g "wicker@$WICKER_VERSION"')
    }
    const prepare = step(w.jobs.prepare, 'Split')
    expect(prepare.run).toContain('wicker prepare-segments "$COURSE" --run "$RUN" --shards "$SHARDS" --json')
    expect(prepare.env).toEqual({RUN: 'gh-${{ github.run_id }}'})
    expect(w.jobs.prepare.outputs).toEqual({run: '${{ steps.prepare.outputs.run }}', packets: '${{ steps.prepare.outputs.packets }}'})
    expect(w.env.SHARDS).toBe('3')
    const upload = step(w.jobs.prepare, 'Keep the prepared run')
    expect(upload.uses).toBe('actions/upload-artifact@v7')
    expect(upload.with).toMatchObject({name: 'wicker-run', 'include-hidden-files': true})
  })

  it.each([1, 3, 256])('has a matrix of exactly %i shards, 1..N, and launches shard ${{ matrix.shard }}/N', (n) => {
    const w = workflow({shards: n, maxParallel: Math.min(n, 10)})
    const shard = w.jobs.shard
    expect(shard.needs).toBe('prepare')
    expect(shard.if).toBe("needs.prepare.outputs.packets != '0'")
    expect(shard.strategy).toEqual({'fail-fast': false, 'max-parallel': Math.min(n, 10), matrix: {shard: Array.from({length: n}, (_, i) => i + 1)}})
    expect(step(shard, 'Launch').run).toContain(`--shard \${{ matrix.shard }}/${n} `)
    expect(shard['timeout-minutes']).toBe(360)
  })

  it('resumes a re-run shard from its own earlier artifact, and uploads its outputs even when launch failed', () => {
    const shard = workflow().jobs.shard
    const earlier = step(shard, 'Fetch this shard\'s outputs')
    expect(earlier).toMatchObject({uses: 'actions/download-artifact@v8', with: {name: 'wicker-shard-${{ matrix.shard }}'}})
    const launch = step(shard, 'Launch')
    expect(launch.run).toContain('--staging "$RUNNER_TEMP/wicker-shard/staging"')
    expect(launch.run).toContain('--agent claude --concurrency 4')
    const upload = step(shard, 'Upload')
    expect(upload).toMatchObject({if: 'always()', uses: 'actions/upload-artifact@v7', with: {name: 'wicker-shard-${{ matrix.shard }}', path: earlier.with!.path, overwrite: true, 'include-hidden-files': true, 'if-no-files-found': 'warn'}})
    // the launch's outputs are in the uploaded folder, the ledger copied beside them
    expect(step(shard, 'Keep the shard\'s ledger').if).toBe('always()')
    const names = shard.steps.map((s) => s.name)
    expect(names.indexOf(earlier.name)).toBeLessThan(names.indexOf(launch.name))
    expect(names.indexOf(launch.name)).toBeLessThan(names.indexOf(upload.name))
  })

  it('fetches the earlier artifact only when the run\'s listing has it, and a failed listing or download fails the shard (no continue-on-error)', () => {
    const shard = workflow().jobs.shard
    const look = step(shard, 'Look for this shard\'s outputs')
    const fetch = step(shard, 'Fetch this shard\'s outputs')
    const names = shard.steps.map((s) => s.name)
    expect(names.indexOf(look.name)).toBe(names.indexOf(fetch.name) - 1)
    expect(look.id).toBe('earlier')
    // the shard number reaches the script only through env, as the artifact's whole name
    expect(look.env).toEqual({GH_TOKEN: '${{ github.token }}', ARTIFACT: fetch.with!.name})
    expect(look.run).not.toContain('${{')
    expect(look.run).toContain(`gh api --paginate "repos/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID/artifacts?per_page=100" --jq '.artifacts[] | select(.expired | not) | .name'`)
    expect(fetch.if).toBe("steps.earlier.outputs.found == 'true'")
    for (const s of shard.steps) expect(s).not.toHaveProperty('continue-on-error')
    expect(workflow().permissions.actions).toBe('read')
    // both explained to the user who reads the file
    const content = text()
    expect(content).toMatch(/# .*A failing listing fails the job rather than start over.*\n(?:\s*#.*\n)*\s+run: \|\n\s+set -euo pipefail\n\s+names=\$\(gh api/)
    expect(content).toMatch(/# Only when the listing found it.*\n\s+if: steps\.earlier\.outputs\.found == 'true'/)
  })

  it('downloads every artifact through the REST API (a token and the run id), so a re-run job finds what an earlier attempt uploaded', () => {
    const w = workflow()
    const downloads = Object.values(w.jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('actions/download-artifact@')))
    expect(downloads).toHaveLength(4)
    for (const d of downloads) expect(d.with).toMatchObject({'github-token': '${{ github.token }}', 'run-id': '${{ github.run_id }}'})
  })

  it('gathers every shard by pattern, then collect → status --require-complete → preview, even after a failed shard', () => {
    const gather = workflow().jobs.gather
    expect(gather.needs).toEqual(['prepare', 'shard'])
    expect(gather.if).toContain('!cancelled()')
    expect(gather.if).toContain("needs.prepare.outputs.packets != '0'")
    expect(step(gather, 'Fetch every shard').with).toMatchObject({pattern: 'wicker-shard-*'})
    const runsInOrder = gather.steps.map((s) => s.run ?? '').join('\n')
    const at = (s: string) => {
      expect(runsInOrder).toContain(s)
      return runsInOrder.indexOf(s)
    }
    expect(at('wicker collect "$COURSE" "${from[@]}"')).toBeLessThan(at('wicker status "$COURSE" --run "$RUN" --require-complete'))
    expect(at('--require-complete')).toBeLessThan(at('wicker preview "$COURSE" --detailed-exitcode'))
    expect(at('--detailed-exitcode')).toBeLessThan(at('wicker merge "$COURSE" --yes'))
  })

  it('with --finish pr merges, pushes a branch wicker/<run> and opens a pull request with the preview; with review it does neither', () => {
    const pr = step(workflow({finish: 'pr'}).jobs.gather, 'Merge and open a pull request')
    expect(pr.if).toBe('steps.preview.outputs.changes == \'true\'')
    expect(pr.env).toMatchObject({GH_TOKEN: '${{ github.token }}'})
    expect(pr.run).toContain('branch="wicker/$RUN"')
    expect(pr.run).toContain('git --literal-pathspecs add -- "$COURSE/lego_baskets.json"')
    expect(pr.run).toContain('gh pr create')
    const review = workflow({finish: 'review'})
    expect(runs(review).join('\n')).not.toMatch(/wicker merge "\$COURSE" --yes|gh pr|git push/)
    expect(step(review.jobs.gather, 'Upload the collected staging').with).toMatchObject({name: 'wicker-collected'})
    expect(step(review.jobs.gather, 'Preview').run).toContain('$GITHUB_STEP_SUMMARY')
  })
})

describe('secrets and the user\'s values', () => {
  it.each(['claude', 'codex', 'gemini'] as const)('%s: installs its CLI, and its key comes from the secret only into the launch step, never printed', (agent) => {
    const {npmPackage, keyEnv} = CI_AGENTS[agent]
    const w = workflow({agent})
    expect(step(w.jobs.shard, 'Install').run).toContain(`"${npmPackage}"`)
    expect(step(w.jobs.shard, 'Launch').env).toEqual({[keyEnv!]: `\${{ secrets.${keyEnv} }}`})
    const content = text({agent})
    expect(content.match(/secrets\./g)).toHaveLength(1)
    for (const script of runs(w)) expect(script).not.toContain(keyEnv)
    expect(parse(text({agent, secret: 'OUR_TEAM_KEY'})).jobs.shard.steps.find((s: Step) => s.name?.startsWith('Launch')).env).toEqual({[keyEnv!]: '${{ secrets.OUR_TEAM_KEY }}'})
  })

  it('builtin: no secret anywhere and no agent CLI to install', () => {
    const content = text({agent: 'builtin'})
    expect(content).not.toContain('secrets.')
    expect(step(workflow({agent: 'builtin'}).jobs.shard, 'Install').run).toBe('set -euo pipefail\nnpm install -g "wicker@$WICKER_VERSION"\n')
  })

  it('a course path with quotes, $( ) and backticks reaches the scripts only as "$COURSE", exactly as given', () => {
    const coursePath = `courses/it's "plon" $(touch /tmp/pwned) \`id\``
    const w = workflow({coursePath})
    expect(w.env.COURSE).toBe(coursePath)
    for (const script of runs(w)) {
      expect(script).not.toContain('plon')
      expect(script.startsWith('set -euo pipefail\n')).toBe(true)
    }
    expect(text({coursePath})).toContain('COURSE: "courses/it\'s \\"plon\\" $(touch /tmp/pwned) `id`"')
  })

  it('refuses a value GitHub would evaluate as an expression', () => {
    expect(() => text({coursePath: 'courses/${{ secrets.X }}'})).toThrow(/expression/)
    expect(() => text({runsOn: ['${{ github.actor }}']})).toThrow(/expression/)
  })

  it('refuses what cannot be a workflow: command, a secret for builtin, a bad secret name, bounds', () => {
    expect(() => text({agent: 'command' as never})).toThrow(/--agent command/)
    expect(() => text({agent: 'openai-compatible' as never})).toThrow(/--agent openai-compatible cannot go into a CI template/)
    expect(() => text({agent: 'builtin', secret: 'X'})).toThrow(/--secret/)
    expect(() => text({secret: 'GITHUB_TOKEN'})).toThrow(/not a GitHub secret name/)
    expect(() => text({secret: 'has-dash'})).toThrow(/not a GitHub secret name/)
    expect(() => text({shards: 0})).toThrow(/--shards 0 is out of range/)
    expect(() => text({shards: 257})).toThrow(/--shards 257 is out of range/)
  })
})
