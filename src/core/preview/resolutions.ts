import {resolve} from 'node:path'
import {z} from 'zod'

import {LEGO_ID} from '../ids.js'
import {UsageError} from '../errors.js'
import {formatIssues} from '../schemas/config.js'
import {readNamedJson} from '../store/named-file.js'

/** {LEGO id: "canon" | "staging" | "<staging file>"}: per-basket choices for conflicts. */
const schema = z.record(z.string().regex(LEGO_ID, 'keys must be LEGO ids'), z.string().min(1))

export async function loadResolutions(file: string, cwd: string): Promise<Record<string, string>> {
  const path = resolve(cwd, file)
  const {value} = await readNamedJson(path, {flag: '--resolutions', what: 'Resolutions'})
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    throw new UsageError({code: 'E_RESOLUTIONS', message: `${path} is not a resolutions file: ${formatIssues(parsed.error).slice(0, 5).join('; ')}.`, hint: 'Write {"S0001L02": "canon", "S0003L01": "staging", "S0004L02": "phase5_baskets_staging/agent3.json"}.'})
  }
  return Object.assign(Object.create(null) as Record<string, string>, parsed.data)
}
