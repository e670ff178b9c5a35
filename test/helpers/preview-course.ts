import {join} from 'node:path'

import {tempDir, writeTree} from './fs.js'

/**
 * A hand-made course (invented words) with one basket of each kind preview must tell apart: an
 * empty canon basket and its fill (S0001L01), a basket written for another LEGO before the ids were
 * renumbered (S0001L02), a top-level stray identical to its staged basket (S0001L03), a new basket
 * (S0001L04) and a conflict with canon (S0001L05).
 */
export const STAGING = 'phase5_baskets_staging'
export const P = (known: string, target: string) => ({known, target})

const LEGOS = [
  ['S0001L01', 'blen', 'vosh'],
  ['S0001L02', 'trum', 'kelo'],
  ['S0001L03', 'dari', 'pim'],
  ['S0001L04', 'zabu', 'fenu'],
  ['S0001L05', 'mork', 'tisa'],
  ['S0001L06', 'gule', 'rado'],
] as const

export const FILL = [P('blen gosa', 'vosh rulo'), P('mi blen', 'ta vosh')]
// written for dari / pim before the ids were renumbered: now S0001L02 is trum / kelo
export const RENUMBERED = [P('dari gosa', 'pim rulo'), P('mi dari', 'ta pim'), P('dari', 'pim')]
export const STRAY = [P('dari sul', 'pim lodo'), P('ke dari', 'nu pim')]
export const NEW = [P('zabu mi', 'fenu ta')]
export const CANON_L05 = [P('mork', 'tisa')]
export const STAGED_L05 = [P('mork nal', 'tisa bur')]

export function previewCourse(): string {
  const dir = join(tempDir(), 'qtl_for_qkn')
  writeTree(dir, {
    'lego_pairs.json': {seeds: [{seed_id: 'S0001', seed_pair: {known: 'blen trum dari zabu mork gule', target: 'vosh kelo pim fenu tisa rado'}, legos: LEGOS.map(([id, known, target]) => ({id, type: 'A', new: true, lego: {known, target}}))}]},
    'lego_baskets.json': {
      baskets: {
        S0001L01: {lego: P('blen', 'vosh'), practice_phrases: [], is_final_lego: false, phrase_count: 0},
        S0001L05: {lego: P('mork', 'tisa'), practice_phrases: CANON_L05, is_final_lego: false, phrase_count: 1},
      },
      S0001L03: {lego: P('dari', 'pim'), practice_phrases: STRAY, is_final_lego: false, phrase_count: 2},
    },
    [`${STAGING}/fill.json`]: {S0001L01: {practice_phrases: FILL}},
    [`${STAGING}/renumbered.json`]: {S0001L02: {lego: P('dari', 'pim'), practice_phrases: RENUMBERED}},
    [`${STAGING}/stray.json`]: {S0001L03: {practice_phrases: STRAY.map((p) => [p.known, p.target])}},
    [`${STAGING}/new.json`]: {S0001L04: {practice_phrases: NEW}},
    [`${STAGING}/conflict.json`]: {S0001L05: {practice_phrases: STAGED_L05}},
  })
  return dir
}

