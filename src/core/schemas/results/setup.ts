import {z} from 'zod'

import {lockInfoSchema} from '../lock.js'
import {coverageChange} from './preview.js'

export const initResult = z
  .object({
    dir: z.string(),
    changes: z.array(z.object({file: z.string(), action: z.enum(['created', 'appended'])})),
    unchanged: z.array(z.string()),
  })
  .meta({title: 'wicker init --json result'})

export const unlockResult = z.object({removed: lockInfoSchema.nullable().describe('the lock removed, or null when there was none')}).meta({title: 'wicker unlock --json result'})

export const demoResult = z
  .object({
    dir: z.string(),
    course: z.string(),
    steps: z.array(z.object({step: z.string(), summary: z.string()})),
    coverage: coverageChange,
    passed: z.boolean(),
    changed: z.boolean().describe('false when the course was already complete and nothing was written'),
  })
  .meta({title: 'wicker demo --json result'})
