/**
 * The one grammar of seed and LEGO ids, for the whole program (lego_pairs, staging keys and file
 * names, manifests, resolutions, canon, merge).
 *
 * A seed id is S + a number written with at least 4 digits: S0001 … S9999, then S10000, S123456.
 * A LEGO id is its seed id + L + a number written with at least 2 digits: S0001L01, S10000L01,
 * S0001L100. Zero-padding only fills the minimum width, so every number has exactly one spelling:
 * S00012L03 or S0012L003 is not an id (it would otherwise be a second name for S0012L03).
 */
const SEED = String.raw`S(?:\d{4}|[1-9]\d{4,})`
const LEGO_SUFFIX = String.raw`L(?:\d{2}|[1-9]\d{2,})`

export const SEED_ID = new RegExp(`^${SEED}$`)
export const LEGO_ID = new RegExp(`^${SEED}${LEGO_SUFFIX}$`)
/** A LEGO id without its seed, as short-keyed files (F7) write it: L01, L100. */
export const SHORT_LEGO_ID = new RegExp(`^${LEGO_SUFFIX}$`)

/**
 * Ids inside a longer text such as a file name ("agent3_S10000L01.json"). The digit runs are taken
 * whole, so "S00012L03" yields nothing rather than a shorter id cut out of it.
 */
const LEGO_IN_TEXT = /S\d+L\d+/g
const SEED_IN_TEXT = /S\d+(?!\d|L\d)/g

export const isSeedId = (id: string): boolean => SEED_ID.test(id)
export const isLegoId = (id: string): boolean => LEGO_ID.test(id)

/** Every distinct LEGO id in a text, in order of appearance. */
export function legoIdsIn(text: string): string[] {
  return [...new Set((text.match(LEGO_IN_TEXT) ?? []).filter(isLegoId))]
}

/** Every distinct seed id (not followed by a LEGO suffix) in a text, in order of appearance. */
export function seedIdsIn(text: string): string[] {
  return [...new Set((text.match(SEED_IN_TEXT) ?? []).filter(isSeedId))]
}

/** The seed's number (S0012 → 12), or null when it is not a seed id. */
export function seedNumber(id: string): number | null {
  return isSeedId(id) ? Number(id.slice(1)) : null
}

/** How the grammar reads, for messages. */
export const LEGO_ID_FORM = 'S0000L00 (S + 4 or more digits, L + 2 or more digits)'
export const SEED_ID_FORM = 'S0000 (S + 4 or more digits)'

/**
 * Whether a key is meant as a LEGO id even when it is not one: other case, white space, another
 * Unicode form, extra zero-padding. Such keys are refused with a reason, never taken as metadata.
 */
export function looksLikeLegoId(key: string): boolean {
  return /^S\d+L\d+$/.test(nearForm(key))
}

/** The id a near-miss key was probably meant as (" s0012l03 " → S0012L03, S00012L003 → S0012L03), or null. */
export function intendedLegoId(key: string): string | null {
  const match = /^S(\d+)L(\d+)$/.exec(nearForm(key))
  if (!match) return null
  const id = `S${String(Number(match[1])).padStart(4, '0')}L${String(Number(match[2])).padStart(2, '0')}`
  return isLegoId(id) ? id : null
}

const nearForm = (key: string) => key.normalize('NFKC').trim().toUpperCase()
