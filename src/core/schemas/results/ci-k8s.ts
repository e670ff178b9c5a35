import {z} from 'zod'

import {agentKind, count} from './common.js'

/** a file wicker writes for the user to own (store/owned-file.ts) */
export const ownedFileResult = z.object({
  file: z.string(),
  action: z.enum(['created', 'updated', 'unchanged', 'replaced']).describe('updated: it was unedited; replaced: it was edited, and --force was given'),
  backup: z.string().nullable().describe('the copy of what was there before, when it was updated or replaced'),
})

export const ciK8sResult = z
  .object({
    files: z.array(ownedFileResult).describe('job.yaml, then Dockerfile'),
    next: z.array(z.string()).describe('the steps that follow, in order'),
    run: z.string(),
    job: z.string().describe('the Job\'s name (kubectl wait job/<name>)'),
    namespace: z.string().nullable(),
    shards: count,
    parallelism: count,
    image: z.string(),
    agent: agentKind,
  })
  .meta({title: 'wicker ci k8s --json result'})
