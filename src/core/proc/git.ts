import {UsageError, WickerError} from '../errors.js'

/**
 * The only way wicker runs git (collect reads agent branches with it): through execa, no shell,
 * arguments as an array, output as bytes. Only reading commands are passed here; GIT_OPTIONAL_LOCKS=0
 * keeps even those from refreshing the index, so the repository is left exactly as it was.
 */
export interface GitRun {
  exitCode: number
  stdout: Uint8Array
  stderr: string
}

export async function runGit(repo: string, args: string[], input?: Uint8Array | string): Promise<GitRun> {
  const {execa} = await import('execa')
  const result = await execa('git', args, {
    cwd: repo,
    env: {GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C'},
    shell: false,
    reject: false,
    encoding: 'buffer',
    stripFinalNewline: false,
    maxBuffer: 512 * 1024 * 1024,
    ...(input === undefined ? {stdin: 'ignore' as const} : {input}),
  })
  if ((result as {code?: string}).code === 'ENOENT' || (result.failed && result.exitCode === undefined && /ENOENT/.test(String(result.message)))) {
    throw new UsageError({code: 'E_GIT_MISSING', message: 'git is not installed (or not on PATH), and --git / --git-branches need it.', hint: 'Install git, or collect with --patch / --from instead.'})
  }
  if (result.exitCode === undefined) throw new WickerError(4, {code: 'E_GIT_FAILED', message: `git ${args[0]} could not run in ${repo}: ${result.message}`})
  return {exitCode: result.exitCode, stdout: result.stdout as Uint8Array, stderr: Buffer.from(result.stderr as Uint8Array).toString('utf8').trim()}
}

/** runGit that must succeed: a failure is exit 4 naming the git command and what git said. */
export async function gitOk(repo: string, args: string[], input?: Uint8Array | string): Promise<Uint8Array> {
  const run = await runGit(repo, args, input)
  if (run.exitCode !== 0) throw new WickerError(4, {code: 'E_GIT_FAILED', message: `git ${args.join(' ')} failed in ${repo}: ${run.stderr || `exit ${run.exitCode}`}`})
  return run.stdout
}
