/**
 * Word segments of text in a script written without spaces (Han, kana, Thai…), from ICU's
 * dictionary-based `Intl.Segmenter`. GATE counts them as vocabulary: a LEGO 我想要 teaches 我 and
 * 想要 as well as the whole chunk. segmentEntries caches per unique text and language: the same LEGO
 * text recurs across a course, and the segmenter is the slowest step of building the index.
 */
import {hasUnspaced, units, type Unit} from './normalize.js'

/** BCP 47 locales for ISO 639 codes where the tag differs (Intl rejects or ignores the others). */
const LOCALES: Record<string, string> = {
  cmn: 'zh', zho: 'zh', chi: 'zh', wuu: 'zh', hak: 'zh', nan: 'zh', gan: 'zh', yue: 'zh-Hant',
  jpn: 'ja', tha: 'th', lao: 'lo', khm: 'km', mya: 'my', bur: 'my', kor: 'ko',
}

const segmenters = new Map<string, Intl.Segmenter>()
const entryCache = new Map<string, Unit[][]>()
const CACHE_LIMIT = 200_000

/** The locale Intl.Segmenter is given for a course language (null: the default locale). */
export function segmenterLocale(language: string | null): string | undefined {
  if (!language) return undefined
  const code = language.toLowerCase()
  return LOCALES[code] ?? (Intl.Segmenter.supportedLocalesOf([code]).length > 0 ? code : undefined)
}

function segmenter(language: string | null): Intl.Segmenter {
  const key = language ?? ''
  let s = segmenters.get(key)
  if (!s) {
    s = new Intl.Segmenter(segmenterLocale(language), {granularity: 'word'})
    segmenters.set(key, s)
  }
  return s
}

/** Word-like segments of the text that contain unspaced script; [] for text with none. */
export function wordSegments(text: string, language: string | null): string[] {
  if (!hasUnspaced(text)) return []
  const out: string[] = []
  for (const part of segmenter(language).segment(text)) if (part.isWordLike && hasUnspaced(part.segment)) out.push(part.segment)
  return out
}

const ALL_UNSPACED = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]+$/u

/**
 * The segments of a text as GATE entries (units), leaving out a segment that is the whole text (the
 * text itself is an entry already). Cached: building a large course's index calls this per LEGO.
 */
export function segmentEntries(text: string, language: string | null): Unit[][] {
  const key = `${language ?? ''}\u0000${text}`
  const hit = entryCache.get(key)
  if (hit) return hit
  const out: Unit[][] = []
  for (const segment of wordSegments(text, language)) {
    if (segment === text) continue
    // a segment all in unspaced script is its characters (no case, no punctuation); others are tokenised
    out.push(ALL_UNSPACED.test(segment) ? Array.from(segment) : units(segment))
  }
  if (entryCache.size >= CACHE_LIMIT) entryCache.clear()
  entryCache.set(key, out)
  return out
}
