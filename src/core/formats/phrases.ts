import type {TextPair} from '../course/model.js'
import {languageNames} from '../text/languages.js'
import {isObject} from '../json.js'

/**
 * The phrase shapes agents write (DOMAIN.md §3), turned into {known, target}:
 *   [known, target, null, n] · [known, target, "P05", n] · [known, target, n] · [known, target]
 *   {known, target} · {known, target, lego_count} · {known, target, complexity} · {english, target}
 *   {english, mandarin, notes} (language names) · e/d and compact forms, which are [target, known]
 *   slot scaffolds (F13/F14): {category: {slots: [{phrase: {english, mandarin}}]}} or slots of bare phrases
 */
export type ArrayOrder = 'known-target' | 'target-known'

export interface PhraseKeys {
  known: string[]
  target: string[]
}

/**
 * Which object keys mean known and target in this course: the labels, the course's language codes
 * (`{eng, spa}` in spa_for_eng, as F17 files write them) and the languages' names (`{english, mandarin}`).
 */
export function phraseKeys(knownLanguage: string | null, targetLanguage: string | null): PhraseKeys {
  const targetNames = languageNames(targetLanguage)
  const knownNames = languageNames(knownLanguage).filter((n) => !targetNames.includes(n))
  const code = (c: string | null) => (c ? [c.toLowerCase()] : [])
  const targetCodes = code(targetLanguage)
  const knownCodes = code(knownLanguage).filter((c) => !targetCodes.includes(c))
  // "english" for known is the old convention, unless English is the target language.
  const legacy = targetNames.includes('english') ? [] : ['english']
  return {known: ['known', ...knownCodes, ...knownNames, ...legacy, 'source'], target: ['target', ...targetCodes, ...targetNames, 'translation']}
}

/** Slot categories an agent may leave unfilled (`bonus_optional`, `optional_extra`). */
const OPTIONAL_CATEGORY = /optional|bonus/i

/** A slot with no text at all (`{phrase: {english: "", mandarin: ""}}`, `["", ""]`): never filled. */
function isEmptySlot(slot: unknown): boolean {
  const texts = Array.isArray(slot) ? slot : isObject(slot) ? Object.values(isObject(slot.phrase) ? slot.phrase : slot) : null
  if (texts === null) return false
  // counts such as lego_count do not fill a slot; only text does
  return texts.every((t) => typeof t !== 'string' || t.trim() === '')
}


function pick(o: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) if (Object.hasOwn(o, key) && typeof o[key] === 'string') return o[key] as string
  return undefined
}

export interface PhraseRead {
  phrases: TextPair[]
  /** per unreadable item: its index and why */
  problems: Array<{index: number; message: string}>
  scaffold: 'F13' | 'F14' | null
  /** empty slots of optional categories, dropped (the basket is kept): their paths, e.g. bonus_optional.slots[0] */
  dropped: string[]
}

export function readPhraseItem(item: unknown, order: ArrayOrder, keys: PhraseKeys): TextPair | string {
  if (Array.isArray(item)) {
    if (typeof item[0] !== 'string' || typeof item[1] !== 'string') return `expected [text, text, …], found ${JSON.stringify(item).slice(0, 60)}`
    return order === 'known-target' ? {known: item[0], target: item[1]} : {known: item[1], target: item[0]}
  }
  if (isObject(item)) {
    const wrapped = isObject(item.phrase) ? item.phrase : item
    const known = pick(wrapped, keys.known)
    const target = pick(wrapped, keys.target)
    if (known !== undefined && target !== undefined) return {known, target}
    return `a phrase object needs known and target text (keys: ${Object.keys(wrapped).slice(0, 6).join(', ') || 'none'})`
  }
  return `a phrase is ${item === null ? 'null' : typeof item}, not an array or object`
}

/** Reads a basket's phrases: an array of items, or a slot scaffold object. */
export function readPhrases(raw: unknown, order: ArrayOrder, keys: PhraseKeys): PhraseRead {
  const result: PhraseRead = {phrases: [], problems: [], scaffold: null, dropped: []}
  let items: unknown[]
  if (Array.isArray(raw)) items = raw
  else if (isObject(raw)) {
    // slot scaffold: categories, each with slots (or the category itself an array of slots)
    items = []
    for (const [name, category] of Object.entries(raw)) {
      const inner = isObject(category) ? (category.slots !== undefined ? 'slots' : 'phrases') : null
      const slots = isObject(category) ? category[inner!] : category
      if (!Array.isArray(slots)) continue
      for (const [i, slot] of slots.entries()) {
        result.scaffold ??= isObject(slot) && isObject(slot.phrase) ? 'F13' : 'F14'
        if (OPTIONAL_CATEGORY.test(name) && isEmptySlot(slot)) {
          result.dropped.push(`${name}${inner ? `.${inner}` : ''}[${i}]`)
          continue
        }
        items.push(slot)
      }
    }
    if (items.length === 0 && result.dropped.length === 0) {
      result.problems.push({index: -1, message: 'practice_phrases is an object with no slots'})
      return result
    }
  } else {
    result.problems.push({index: -1, message: `practice_phrases is ${raw === null ? 'null' : typeof raw}, not a list`})
    return result
  }
  items.forEach((item, index) => {
    const phrase = readPhraseItem(item, order, keys)
    if (typeof phrase === 'string') result.problems.push({index, message: phrase})
    else result.phrases.push(phrase)
  })
  return result
}
