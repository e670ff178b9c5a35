import {Flags} from '@oclif/core'

import {GATE_DEFINITIONS} from '../core/schemas/gate-definitions.js'

/** Flags several commands share. */
export const orientationFlag = Flags.string({
  description: 'Order of [a, b] pairs in lego_pairs.json when it cannot be told from the data.',
  options: ['known-target', 'target-known'],
})

export const gateFlag = Flags.string({
  description: 'GATE definition: which vocabulary a phrase may use (see README) [default: cumulative, or the config].',
  options: [...GATE_DEFINITIONS],
})

/** How staging is read: extract, preview, merge and status take the same flags. */
export const stagingFlags = {
  staging: Flags.string({description: 'Staging folder to read (repeatable) [default: phase5_baskets_staging/ and phase3_baskets_staging/ in the course].', multiple: true}),
  repair: Flags.boolean({description: 'Salvage broken JSON with jsonrepair; every salvaged basket is marked repaired.'}),
  'max-file-size': Flags.integer({description: 'Largest staging file read, in bytes [default: 52428800].', min: 1}),
  'max-depth': Flags.integer({description: 'Deepest JSON nesting accepted [default: 64].', min: 1}),
}

export function stagingSettings(flags: {staging?: string[]; repair?: boolean; 'max-file-size'?: number; 'max-depth'?: number}) {
  return {staging: flags.staging, repair: flags.repair, maxFileSize: flags['max-file-size'], maxDepth: flags['max-depth']}
}
