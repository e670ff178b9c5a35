import {parseCommandWords} from '../core/launch/command-words.js'
import {parseDuration, parseShare, parseUsd} from './durations.js'

export interface LaunchFlagValues {
  stagger: string
  timeout: string
  'idle-timeout': string
  grace: string
  backoff: string
  halt: string
  'max-cost-usd'?: string
  notify?: string
  'notify-timeout': string
  'poll-interval': string
}

/**
 * launch's flag values, each checked before anything starts: a bad one is a usage error (exit 2)
 * naming the valid range, never a silent default (`--max-cost-usd abc` used to mean no limit).
 * --only is checked by the core against the run's packet count (core/launch/only.ts).
 */
export function launchSettings(flags: LaunchFlagValues) {
  return {
    timing: {
      staggerMs: parseDuration(flags.stagger, 'stagger', {zero: true}),
      timeoutMs: parseDuration(flags.timeout, 'timeout'),
      idleTimeoutMs: parseDuration(flags['idle-timeout'], 'idle-timeout'),
      // 0: KILL at once, no TERM first
      graceMs: parseDuration(flags.grace, 'grace', {zero: true}),
      backoffMs: parseDuration(flags.backoff, 'backoff', {zero: true}),
      pollMs: parseDuration(flags['poll-interval'], 'poll-interval'),
    },
    halt: parseShare(flags.halt, 'halt'),
    maxCostUsd: flags['max-cost-usd'] === undefined ? null : parseUsd(flags['max-cost-usd'], 'max-cost-usd'),
    notify: flags.notify === undefined ? null : parseCommandWords(flags.notify, '--notify', 'E_NOTIFY'),
    notifyTimeoutMs: parseDuration(flags['notify-timeout'], 'notify-timeout'),
  }
}
