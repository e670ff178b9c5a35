import {z} from 'zod'

import {ownedFileResult} from './ci.js'
import {agentKind, count} from './common.js'

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
