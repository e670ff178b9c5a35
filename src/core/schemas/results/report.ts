import {z} from 'zod'

import {count, share} from './common.js'
import {VERDICTS} from './validate.js'

export const reportResult = z
  .object({
    course: z.string(),
    file: z.string().describe('the HTML file written (absolute)'),
    bytes: count,
    seeds: count,
    legos: count,
    coverage: share.describe("detect's coverage, as the page's summary shows it"),
    verdict: z.enum(VERDICTS).describe("validate's verdict"),
    gateViolationRate: z.number().min(0).max(100).describe("validate's GATE violation rate (its definition)"),
    runs: count.describe('launch runs drawn'),
    history: count.describe('journal transactions listed'),
    grouped: z.boolean().describe('the heatmaps draw groups of seeds (too many seeds to draw one cell each)'),
  })
  .meta({title: 'wicker report --json result'})
