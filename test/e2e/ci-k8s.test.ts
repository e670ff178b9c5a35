import {existsSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'
import {schemaErrors} from '../helpers/json-schemas.js'

const {Job} = await import('kubernetes-models/batch/v1/Job')

const IMAGE = 'registry.example.invalid/drom/wicker:0.1.0'

/** A course in a folder whose name has a space, and its run prepared; the cwd the commands run in. */
async function preparedCourse() {
  const parent = tempDir('wicker-ci-k8s-')
  const made = writeCourse(parent, generateCourse({seeds: 8, seed: 17, canon: {fill: 0.25}}))
  const dir = join(parent, 'kesh course')
  renameSync(made, dir)
  const prepared = await wickerIn(['prepare-segments', dir, '--packet-size', '4', '--json'])
  expect(prepared.code, prepared.stderr).toBe(0)
  return {dir, cwd: tempDir('wicker-ci-k8s-cwd-'), run: prepared.json.result.run as string}
}

const k8s = (args: string[], cwd: string) => wickerIn(['ci', 'k8s', ...args], {cwd})

describe('wicker ci k8s writes a Job and a Dockerfile you own', () => {
  it('a wicker-k8s folder planted as a symbolic link where it is run (a cloned repository) is refused: nothing is written where it points', async () => {
    const {dir, cwd} = await preparedCourse()
    const elsewhere = tempDir('wicker-ci-k8s-elsewhere-')
    symlinkSync(elsewhere, join(cwd, 'wicker-k8s'))
    const run = await k8s([dir, '--shards', '2', '--image', IMAGE], cwd)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('symlink')
    expect(run.stderr).not.toMatch(STACK_TRACE)
    expect(readdirSync(elsewhere)).toEqual([])
  })

  it('writes both, valid; the same again leaves them; an edited job.yaml is refused (exit 3) until --force, which keeps a .bak', async () => {
    const {dir, cwd, run} = await preparedCourse()
    const args = [dir, '--shards', '3', '--image', IMAGE, '--agent', 'claude', '--namespace', 'langs']
    const first = await k8s([...args, '--json'], cwd)
    expect(first.code, first.stderr).toBe(0)
    expect(schemaErrors('result/ci-k8s.json', first.json.result)).toEqual([])
    expect(first.json.result.files).toEqual([
      {file: join('wicker-k8s', 'job.yaml'), action: 'created', backup: null},
      {file: join('wicker-k8s', 'Dockerfile'), action: 'created', backup: null},
    ])
    expect(first.json.result.run).toBe(run)
    const job = parse(readFileSync(join(cwd, 'wicker-k8s/job.yaml'), 'utf8'))
    expect(() => new Job(job).validate()).not.toThrow()
    expect(job.metadata.name).toBe(first.json.result.job)
    expect(job.spec.template.spec.containers[0].env).toContainEqual({name: 'WICKER_JOB_COURSE', value: '/course/kesh course'})
    expect(job.spec.template.spec.containers[0].env).toContainEqual({name: 'WICKER_JOB_RUN', value: run})
    const next = first.json.result.next.join('\n')
    expect(next).toContain(`kubectl -n langs apply -f ${join('wicker-k8s', 'job.yaml')}`)
    // a Job with a failed shard ends Failed, not Complete: the wait ends on either
    expect(next).toContain(`until kubectl -n langs get job/${job.metadata.name} -o jsonpath='{.status.conditions[?(@.status=="True")].type}' | grep -qwE 'Complete|Failed'; do sleep 30; done`)
    expect(next).toContain(`kubectl -n langs delete job/${job.metadata.name} --cascade=foreground`)
    expect(next).toContain(`wicker status '${dir}' --run ${run} --require-complete`)
    expect(next).toMatch(/wicker preview .* --detailed-exitcode/)
    expect(next).toMatch(/wicker merge .* --yes/)

    const again = await k8s([...args, '--json'], cwd)
    expect(again.code, again.stderr).toBe(0)
    expect(again.json.result.files.map((f: {action: string}) => f.action)).toEqual(['unchanged', 'unchanged'])

    // an unedited file follows a change of options (the old one kept as .bak)
    const moved = await k8s([...args, '--retries', '5', '--json'], cwd)
    expect(moved.code, moved.stderr).toBe(0)
    expect(moved.json.result.files.map((f: {action: string}) => f.action)).toEqual(['updated', 'unchanged'])
    expect(existsSync(join(cwd, moved.json.result.files[0].backup))).toBe(true)

    // the user edits job.yaml; a run with another image would change both files: neither is written
    const jobFile = join(cwd, 'wicker-k8s/job.yaml')
    const dockerFile = join(cwd, 'wicker-k8s/Dockerfile')
    const edited = readFileSync(jobFile, 'utf8').replace('parallelism: 3', 'parallelism: 2 # ours')
    writeFileSync(jobFile, edited)
    const dockerBefore = readFileSync(dockerFile, 'utf8')
    const other = [...args.slice(0, 3), '--image', 'registry.example.invalid/drom/wicker:0.2.0', '--agent', 'claude', '--namespace', 'langs']
    const refused = await k8s(other, cwd)
    expect(refused.code).toBe(3)
    expect(refused.stderr).toContain('job.yaml')
    expect(refused.stderr).toContain('--force')
    expect(refused.stdout + refused.stderr).not.toMatch(STACK_TRACE)
    expect(readFileSync(jobFile, 'utf8')).toBe(edited)
    expect(readFileSync(dockerFile, 'utf8')).toBe(dockerBefore)
    expect((await k8s([...other, '--json'], cwd)).json).toMatchObject({status: 3, name: 'E_OWNED_EDITED'})

    const forced = await k8s([...other, '--force', '--json'], cwd)
    expect(forced.code, forced.stderr).toBe(0)
    expect(forced.json.result.files.map((f: {action: string}) => f.action)).toEqual(['replaced', 'updated'])
    expect(readFileSync(join(cwd, forced.json.result.files[0].backup), 'utf8')).toBe(edited)
    expect(readFileSync(jobFile, 'utf8')).toContain('image: registry.example.invalid/drom/wicker:0.2.0')
    expect(readdirSync(join(cwd, 'wicker-k8s')).filter((f) => f.endsWith('.bak'))).toHaveLength(3)

    // an edited Dockerfile stops the run before job.yaml (written first otherwise) changes
    const ours = `${readFileSync(dockerFile, 'utf8')}RUN echo ours\n`
    writeFileSync(dockerFile, ours)
    const jobBefore = readFileSync(jobFile, 'utf8')
    const third = await k8s([...args.slice(0, 3), '--image', 'registry.example.invalid/drom/wicker:0.3.0', '--json'], cwd)
    expect(third.json).toMatchObject({status: 3, name: 'E_OWNED_EDITED'})
    expect(third.json.message).toContain('Dockerfile')
    expect(readFileSync(jobFile, 'utf8')).toBe(jobBefore)
    expect(readFileSync(dockerFile, 'utf8')).toBe(ours)
  })

  it('writes to --out, and says the next steps on stderr in human mode', async () => {
    const {dir, cwd} = await preparedCourse()
    const run = await k8s([dir, '--shards', '2', '--image', IMAGE, '--out', 'deploy/k8s', '--parallelism', '50'], cwd)
    expect(run.code, run.stderr).toBe(0)
    // more pods at once than shards: said, and the Job asks for what it can use
    expect(run.stderr).toContain('--parallelism 50 is more than the 2 shard(s)')
    expect(parse(readFileSync(join(cwd, 'deploy/k8s/job.yaml'), 'utf8')).spec.parallelism).toBe(2)
    expect(run.stdout).toContain(`created ${join('deploy/k8s', 'job.yaml')}`)
    expect(run.stderr).toContain('kubectl apply -f deploy/k8s/job.yaml')
    expect(run.stderr).toContain('docker build -t registry.example.invalid/drom/wicker:0.1.0 deploy/k8s')
    // the built-in agent: no secret to make
    expect(run.stderr).not.toContain('create secret')
    expect(readFileSync(join(cwd, 'deploy/k8s/Dockerfile'), 'utf8')).toContain('npm install -g wicker@')

    // by default, up to 10 pods at once
    const many = await k8s([dir, '--shards', '12', '--image', IMAGE, '--out', 'many', '--json'], cwd)
    expect(many.code, many.stdout).toBe(0)
    expect(many.json.result).toMatchObject({shards: 12, parallelism: 10})
    expect(parse(readFileSync(join(cwd, 'many/job.yaml'), 'utf8')).spec).toMatchObject({completions: 12, parallelism: 10})
  })
})

describe('wicker ci k8s refuses bad input: exit 2, the flag named, no stack trace, nothing written', async () => {
  const {dir, cwd, run} = await preparedCourse()
  const cases: Array<[string, string[], RegExp]> = [
    ['no --image', [dir, '--shards', '3'], /--image|image/],
    ['an empty --image', [dir, '--shards', '3', '--image', ''], /--image/],
    ['a whitespace --image', [dir, '--shards', '3', '--image', '  '], /--image/],
    ['no --shards', [dir, '--image', IMAGE], /Missing required flag shards/],
    ['--shards 0', [dir, '--shards', '0', '--image', IMAGE], /--shards 0 is out of range: give an integer from 1 to 10000/],
    ['--shards 10001', [dir, '--shards', '10001', '--image', IMAGE], /--shards/],
    ['--agent command', [dir, '--shards', '3', '--image', IMAGE, '--agent', 'command'], /--agent command/],
    ['--secret not a name', [dir, '--shards', '3', '--image', IMAGE, '--secret', 'Keys!'], /--secret/],
    ['--namespace not a name', [dir, '--shards', '3', '--image', IMAGE, '--namespace', 'a_b'], /--namespace/],
    ['--run that was never prepared', [dir, '--shards', '3', '--image', IMAGE, '--run', 'run-never'], /run-never/],
  ]
  it.each(cases)('%s', async (_, args, says) => {
    for (const json of [false, true]) {
      const r = await k8s(json ? [...args, '--json'] : args, cwd)
      expect(r.code, r.stdout + r.stderr).toBe(2)
      expect(json ? r.json.message : r.stderr).toMatch(says)
      expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE)
    }
    expect(existsSync(join(cwd, 'wicker-k8s'))).toBe(false)
    expect(run).toMatch(/^run-/)
  })

  it('points a flag mistake at this command\'s help, as it is typed', async () => {
    expect((await k8s([dir, '--image', IMAGE, '--json'], cwd)).json.hint).toBe('See `wicker ci k8s --help`.')
  })

  it('a course with no prepared run says how to prepare one with the shard count', async () => {
    const bare = writeCourse(tempDir('wicker-ci-k8s-bare-'), generateCourse({seeds: 4, seed: 3, canon: {fill: 0}}))
    const r = await k8s([bare, '--shards', '4', '--image', IMAGE, '--json'], cwd)
    expect(r.code).toBe(2)
    expect(r.json.name).toBe('E_NO_RUN')
    expect(r.json.hint).toContain(`wicker prepare-segments ${bare} --shards 4`)
  })

  it('a run prepared in another number of shards is refused, naming both numbers', async () => {
    const {dir: course, cwd: here, run: name} = await preparedCourse()
    const planFile = join(course, '.wicker/runs', name, 'plan.json')
    const plan = JSON.parse(readFileSync(planFile, 'utf8'))
    const packets = plan.packets.map((p: object, i: number) => ({...p, shard: (i % 2) + 1}))
    writeFileSync(planFile, `${JSON.stringify({...plan, shards: 2, packets}, null, 2)}\n`)
    const r = await k8s([course, '--shards', '3', '--image', IMAGE, '--json'], here)
    expect(r.code, r.stdout).toBe(2)
    expect(r.json.name).toBe('E_SHARDS_MISMATCH')
    expect(r.json.message).toMatch(/2 shard\(s\).*3/)
    expect(r.json.hint).toContain('--shards 2')
    const ok = await k8s([course, '--shards', '2', '--image', IMAGE, '--json'], here)
    expect(ok.code, ok.stdout).toBe(0)
    expect(ok.json.warnings.join('\n')).not.toMatch(/records no shard count/)
  })
})
