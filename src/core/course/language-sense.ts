import type {Course} from './model.js'
import {nfc_, units, type Unit} from '../text/normalize.js'
import {languageScripts, scriptShare, scriptsDiffer, type Script} from '../text/script.js'

/**
 * Which language a phrase side is in. By script where the course's two languages use different
 * scripts; otherwise by vocabulary (the words of lego_pairs' known and target sides).
 */
export interface LanguageSense {
  /** 'known' | 'target' when the side is clearly in that language, else null */
  sideOf(text: string, list: readonly Unit[]): 'known' | 'target' | null
  /**
   * a cheap first look: false when the text's first word already shows it is not in the known
   * language; `list`, when given, is `unitsOfNfc(text)` of this NFC text, whose first unit holds
   * that word already lowercased
   */
  mayBeKnown(text: string, list?: readonly Unit[]): boolean
  /** scripts expected on each side, or null where the course languages are unknown */
  scripts: {known: Script[]; target: Script[]} | null
}

/** Share of units found in one vocabulary needed to call a side that language. */
const CLEAR = 0.8

/** One sense per course: validate and the report's GATE rates ask for the same one. */
const senses = new WeakMap<Course, LanguageSense>()

export function languageSense(course: Course): LanguageSense {
  let sense = senses.get(course)
  if (!sense) senses.set(course, (sense = makeSense(course)))
  return sense
}

function makeSense(course: Course): LanguageSense {
  if (course.knownLanguage && course.targetLanguage) {
    const known = languageScripts(course.knownLanguage)
    const target = languageScripts(course.targetLanguage)
    if (scriptsDiffer(known, target)) {
      return {
        scripts: {known, target},
        mayBeKnown: () => true,
        sideOf(text) {
          const t = scriptShare(text, target)
          const k = scriptShare(text, known)
          if (t === null || k === null) return null
          return t >= 0.5 ? 'target' : k >= 0.5 ? 'known' : null
        },
      }
    }
  }
  // Each word of lego_pairs, marked by the side(s) it appears on.
  const KNOWN = 1
  const TARGET = 2
  const side = new Map<string, number>()
  // one lookup per unit, and a write only for a unit new to this side. (Skipping texts already read
  // cost more than reading them again: hashing each whole text, with most texts met once.)
  const mark = (text: string, flag: number) => {
    const list = units(text)
    for (let i = 0; i < list.length; i++) {
      const unit = list[i]!
      const flags = side.get(unit)
      if (flags === undefined) side.set(unit, flag)
      else if ((flags & flag) === 0) side.set(unit, flags | flag)
    }
  }
  for (const seed of course.seeds) {
    mark(seed.known, KNOWN)
    mark(seed.target, TARGET)
    for (const lego of seed.legos) {
      mark(lego.known, KNOWN)
      mark(lego.target, TARGET)
    }
  }
  return {
    scripts: null,
    mayBeKnown(text, list) {
      if (list) {
        // the first word of the lowercased text is the first unit up to its first apostrophe: the
        // units are WORD's matches in the lowercased text (Σ read in context), WORD's letters, marks
        // and digits are FIRST_WORD's, and an apostrophe is the one other character a unit holds
        if (list.length === 0) return true
        const unit = list[0]!
        const cut = unit.indexOf("'")
        return side.get(nfc_(cut < 0 ? unit : unit.slice(0, cut))) !== TARGET
      }
      // the first word of the lowercased text is the lowercased first word: lowercasing keeps every
      // character a letter, mark or digit (or not), so only the first word is lowercased, not the phrase
      // (tested for every code point); Σ alone lowercases by what follows it (ς or σ), so a first word
      // with one is read from the whole lowercased text, as before
      const first = FIRST_WORD.exec(text)
      if (!first) return true
      const word = first[0].includes('Σ') ? FIRST_WORD.exec(text.toLowerCase())![0] : first[0].toLowerCase()
      return side.get(nfc_(word)) !== TARGET
    },
    sideOf(_text, list) {
      if (list.length === 0) return null
      let k = 0
      let t = 0
      for (const u of list) {
        const flags = side.get(u)
        if (flags === KNOWN) k++
        else if (flags === TARGET) t++
      }
      if (t / list.length >= CLEAR && k === 0) return 'target'
      if (k / list.length >= CLEAR && t === 0) return 'known'
      return null
    },
  }
}

const FIRST_WORD = /[\p{L}\p{M}\p{N}]+/u
