import {Flags} from '@oclif/core'

import {GATE_DEFINITIONS} from '../core/schemas/gate-definitions.js'
import {intFlag} from './int-flags.js'

/** Flags several commands share. */
export const orientationFlag = Flags.string({
  description: 'Order of [a, b] pairs in lego_pairs.json when it cannot be told from the data.',
  options: ['known-target', 'target-known'],
})

export const gateFlag = Flags.string({
  description: 'GATE definition: which vocabulary a phrase may use (see README) [default: cumulative, or the config].',
  options: [...GATE_DEFINITIONS],
})

export const componentsFlag = Flags.boolean({
  description: 'Count the targets of LEGOs\' components as vocabulary (cumulative, window; --no-components turns it off) [default: on, or the config].',
  allowNo: true,
})

/** How staging is read: extract, preview, merge and status take the same flags. */
export const stagingFlags = {
  staging: Flags.string({description: 'Staging folder to read (repeatable) [default: phase5_baskets_staging/ and phase3_baskets_staging/ in the course].', multiple: true}),
  repair: Flags.boolean({description: 'Salvage broken JSON with jsonrepair; every salvaged basket is marked repaired.'}),
  'max-repair-size': intFlag('bytes', {description: 'Largest JSON text --repair salvages, in bytes; a larger broken file is reported, not repaired [default: 8388608].'}),
  'max-file-size': intFlag('bytes', {description: 'Largest staging file read, in bytes [default: 52428800].'}),
  'max-depth': intFlag('max-depth', {description: 'Deepest JSON nesting accepted [default: 64].'}),
  'from-lego-pairs': Flags.boolean({description: 'Also offer the basket payloads found in seeds\' "legos" of lego_pairs.json (broken seeds, see detect) as baskets, with source format lego-pairs. Staging wins where it holds the same id; lego_pairs.json is only read, never consumed.'}),
}

export function stagingSettings(flags: {staging?: string[]; repair?: boolean; 'max-repair-size'?: number; 'max-file-size'?: number; 'max-depth'?: number; 'from-lego-pairs'?: boolean}) {
  return {staging: flags.staging, repair: flags.repair, maxRepairSize: flags['max-repair-size'], maxFileSize: flags['max-file-size'], maxDepth: flags['max-depth'], fromLegoPairs: flags['from-lego-pairs']}
}

/** How a plan treats conflicts, strays and repaired baskets: preview and merge take the same flags. */
export const policyFlags = {
  'on-conflict': Flags.string({description: 'What to do where staging differs from canon with no base: fail (exit 3), keep-canon, take-staging.', options: ['fail', 'keep-canon', 'take-staging'], default: 'fail'}),
  resolutions: Flags.string({description: 'JSON file of per-id choices: {"S0001L02": "canon" | "staging" | "<staging file>"}.'}),
  'adopt-strays': Flags.boolean({description: 'Move baskets found at the canon\'s top level into "baskets".'}),
  'accept-repaired': Flags.boolean({description: 'Admit baskets salvaged by --repair.'}),
  'seed-sentence': Flags.boolean({description: 'Append the seed sentence to a final LEGO\'s basket that lacks it.', default: true, allowNo: true}),
}

export async function policyOptions(flags: {'on-conflict': string; resolutions?: string; 'adopt-strays': boolean; 'accept-repaired': boolean; 'seed-sentence': boolean}, cwd: string) {
  const {loadResolutions} = await import('../core/preview/resolutions.js')
  return {
    onConflict: flags['on-conflict'] as 'fail' | 'keep-canon' | 'take-staging',
    resolutions: flags.resolutions ? await loadResolutions(flags.resolutions, cwd) : {},
    adoptStrays: flags['adopt-strays'],
    acceptRepaired: flags['accept-repaired'],
    seedSentence: flags['seed-sentence'],
  }
}
