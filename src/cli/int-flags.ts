import {Errors, Flags, type Interfaces} from '@oclif/core'

import {SETTING_LIMITS} from '../core/schemas/limits.js'
import {LARGEST_JSON_BYTES} from '../core/store/read-file.js'

/**
 * Every integer flag of every command, with its bounds, in one place: a value outside them (or
 * `--concurrency 99999999999999999999`) is a usage error (exit 2) naming the range, never a number
 * the core then chokes on. Settings that also live in the config share their range (schemas/limits.ts).
 */
export const INT_BOUNDS = {
  /** agents running at once */
  concurrency: {min: 1, max: 256},
  retries: {min: 0, max: 100},
  /** launch --max-context: a model's context window in tokens (the largest are a few million) */
  'max-context': {min: 1, max: 100_000_000},
  'max-diffs': {min: 0, max: 10_000},
  'packet-size': {min: 1, max: 100_000},
  segments: {min: 1, max: 1000},
  /** prepare-segments --shards: machines a run is split over (schemas/run-plan.ts MAX_SHARDS) */
  shards: {min: 1, max: 10_000},
  orchestrators: {min: 1, max: 1000},
  /** launch --group-size: packets one orchestrator session drives */
  'group-size': {min: 1, max: 1000},
  agents: {min: 1, max: 10_000},
  'window-seeds': SETTING_LIMITS.windowSeeds,
  'recent-new-legos': SETTING_LIMITS.recentNewLegos,
  'max-words': SETTING_LIMITS.maxWords,
  /** findings allowed before validate blocks */
  'max-warnings': SETTING_LIMITS.maxWarnings,
  /** bytes: up to the longest text Node can hold (a JSON file is parsed as one string) */
  bytes: {min: 1, max: LARGEST_JSON_BYTES},
  /** JSON nesting levels */
  'max-depth': {min: 1, max: 1000},
  /** a TCP port; 0 asks the system for any free one */
  port: {min: 0, max: 65_535},
  /** wicker serve's uploads a minute per token */
  rate: {min: 1, max: 100_000},
  /** ci github --shards: GitHub Actions runs at most 256 jobs in a matrix */
  'github-shards': {min: 1, max: 256},
  /** shard jobs at once */
  'max-parallel': {min: 1, max: 256},
  /** a CI job's time limit: 360 on GitHub-hosted runners, up to 5 days (4320) on self-hosted ones */
  'timeout-minutes': {min: 1, max: 4320},
  /** ci k8s: completions of one Indexed Job, one pod per shard (a GitHub matrix has its own bound, 256) */
  'k8s-shards': {min: 1, max: 10_000},
  /** ci k8s: pods of the Job at once */
  parallelism: {min: 1, max: 10_000},
  /** report: baskets in the list of the worst */
  worst: {min: 0, max: 1000},
} as const

export type IntBound = keyof typeof INT_BOUNDS

interface IntFlagOptions {
  description: string
  char?: 'j'
  /** flags that cannot be given with this one */
  exclusive?: string[]
  /** the command cannot run without it */
  required?: boolean
}

/** An integer flag with the bounds of `bound`; its help names the range. */
export function intFlag(bound: IntBound, options: IntFlagOptions & {default: number}): Interfaces.OptionFlag<number>
export function intFlag(bound: IntBound, options: IntFlagOptions & {required: true}): Interfaces.OptionFlag<number>
export function intFlag(bound: IntBound, options: IntFlagOptions): Interfaces.OptionFlag<number | undefined>
export function intFlag(bound: IntBound, options: IntFlagOptions & {default?: number}) {
  const {min, max} = INT_BOUNDS[bound]
  const range = `${min} to ${max}`
  return Flags.integer({
    ...(options as IntFlagOptions & {default: number}),
    description: `${options.description} (${range})`,
    min,
    max,
    async parse(input) {
      if (!/^\s*-?\d+\s*$/.test(input)) throw new Errors.CLIError(`${JSON.stringify(input)} is not an integer: give one from ${range}.`)
      const value = Number(input)
      if (!(value >= min && value <= max)) throw new Errors.CLIError(`${input} is out of range: give an integer from ${range}.`)
      return value
    },
  })
}
