import {z} from 'zod'

import {count} from './common.js'

/**
 * What every `wicker ci` command prints: the files it wrote as files the user owns
 * (store/owned-file.ts) and the next steps, plus what each template was made for.
 */
export const ownedFileResult = z.object({
  file: z.string(),
  action: z.enum(['created', 'updated', 'unchanged', 'replaced']).describe('updated: it was unedited and is now the new text; replaced: it was edited, and --force replaced it'),
  backup: z.string().nullable().describe('the copy of what was there before a replace (<file>.<UTC>.bak); null otherwise'),
})

export const ciFiles = {
  files: z.array(ownedFileResult),
  next: z.array(z.string()).describe('what the user does next, in order'),
}

export const ciGithubResult = z
  .object({
    ...ciFiles,
    course: z.string().describe('the course folder'),
    root: z.string().describe('the repository root the workflow checks out: the folder holding .git, else the current folder'),
    git: z.boolean().describe('whether a .git entry was found at or above the course'),
    workflow: z.object({
      file: z.string(),
      coursePath: z.string().describe('the course folder relative to root, as the workflow passes it to wicker'),
      shards: count,
      maxParallel: count,
      agent: z.enum(['builtin', 'claude', 'codex', 'gemini']),
      secret: z.string().nullable().describe('the secret named with --secret; null: the agent key variable\'s own name (or no key, for builtin)'),
      concurrency: count,
      timeoutMinutes: count,
      runsOn: z.array(z.string()),
      finish: z.enum(['pr', 'review']),
      wickerVersion: z.string(),
    }),
  })
  .meta({title: 'wicker ci github --json result'})
