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
