import {describe, expect, it} from 'vitest'

import {ELISION_KEY, elisionRules, splitElision} from '../../../src/core/text/elision.js'
import {containsInOrder, framePieces} from '../../../src/core/text/frame.js'
import {mutationRules, radicals} from '../../../src/core/text/mutation.js'
import {unitKey} from '../../../src/core/text/normalize.js'
import {segmentEntries, segmenterLocale, wordSegments} from '../../../src/core/text/segment.js'

describe('frames: targets written with a gap', () => {
  it('splits at … and ..., trimming the pieces', () => {
    expect(framePieces('ka…ri')).toEqual(['ka', 'ri'])
    expect(framePieces('ka ... ri')).toEqual(['ka', 'ri'])
    expect(framePieces('ne … pas')).toEqual(['ne', 'pas'])
    expect(framePieces('要…了')).toEqual(['要', '了'])
  })

  it('an ellipsis that only trails off is no frame', () => {
    expect(framePieces('zo lú...')).toBeNull()
    expect(framePieces('…zo')).toBeNull()
    expect(framePieces('zo lú')).toBeNull()
  })

  it('contains the pieces only in order, on word boundaries', () => {
    const pieces = ['ka', 'ri'].map(unitKey)
    expect(containsInOrder(unitKey('ka lo ri'), pieces)).toBe(true)
    expect(containsInOrder(unitKey('Ka, ri!'), pieces)).toBe(true)
    expect(containsInOrder(unitKey('ri lo ka'), pieces)).toBe(false)
    expect(containsInOrder(unitKey('kal lo ri'), pieces)).toBe(false)
    expect(containsInOrder(unitKey('要走了'), ['要', '了'].map(unitKey))).toBe(true)
    expect(containsInOrder(unitKey('了走要'), ['要', '了'].map(unitKey))).toBe(false)
  })
})

describe('elision table', () => {
  const french = elisionRules('fra')!
  it('splits a clitic before the word', () => {
    expect(splitElision("l'ami", french)).toEqual([{text: "l'", forms: [['le'], ['la']]}, {text: 'ami', forms: null}])
    expect(splitElision("jusqu'ici", french)?.[0]?.text).toBe("jusqu'")
    // aujourd'hui keeps its own apostrophe after qu'
    expect(splitElision("qu'aujourd'hui", french)?.map((p) => p.text)).toEqual(["qu'", "aujourd'hui"])
    expect(splitElision('ami', french)).toBeNull()
  })

  it('splits English contractions after the word and knows whole ones', () => {
    const english = elisionRules('en')!
    expect(splitElision("don't", english)?.map((p) => p.text)).toEqual(['do', "n't"])
    expect(splitElision("it's", english)?.map((p) => p.text)).toEqual(['it', "'s"])
    expect(splitElision("won't", english)).toEqual([{text: "won't", forms: [['will', 'not']]}])
  })

  it('has no table for a language that does not elide; config adds one', () => {
    expect(elisionRules('spa')).toBeNull()
    expect(splitElision("geht's", elisionRules('deu', {deu: {"-'s": ['es']}})!)?.map((p) => p.text)).toEqual(['geht', "'s"])
  })

  it('config keys say where the clitic attaches', () => {
    for (const key of ["l'-", "-'s", "-n't", "can't", "jusqu'-"]) expect(key).toMatch(ELISION_KEY)
    for (const key of ["l'", 'le', "'s", "l' -", '-']) expect(key).not.toMatch(ELISION_KEY)
  })
})

describe('initial mutations', () => {
  const forms = (word: string, language: string) => radicals(word, mutationRules(language)!)
  it('Breton: soft, spirant and hard mutations lead back to the radical', () => {
    expect(forms("c'hi", 'bre')).toContain('ki')
    expect(forms('dad', 'bre')).toContain('tad')
    expect(forms('vamm', 'bre')).toContain('mamm')
    expect(forms('penn', 'bre')).toContain('benn')
    expect(forms('dad', 'bre')).not.toContain('dad')
  })

  it('Welsh: soft, nasal, aspirate, and the dropped g', () => {
    expect(forms('gath', 'cym')).toContain('cath')
    expect(forms('nghath', 'cym')).toContain('cath')
    expect(forms('chath', 'cym')).toContain('cath')
    expect(forms('law', 'cym')).toContain('glaw')
    expect(forms('ddŵr', 'cym')).toContain('dŵr')
  })

  it('Irish and Gaelic: lenition h, eclipsis, prefixed t and h', () => {
    expect(forms('bhean', 'gle')).toContain('bean')
    expect(forms('mbord', 'gle')).toContain('bord')
    expect(forms('nathair', 'gle')).toContain('athair')
    expect(forms('tsráid', 'gle')).toContain('sráid')
    expect(forms('thaigh', 'gla')).toContain('taigh')
    expect(forms('huisge', 'gla')).toContain('uisge')
    // a prefixed letter only ever stands before a vowel
    expect(forms('hsráid', 'gle')).not.toContain('sráid')
  })

  it('other languages have no table', () => {
    expect(mutationRules('spa')).toBeNull()
    expect(mutationRules('fra')).toBeNull()
  })
})

describe('word segments', () => {
  it('uses the target language\'s locale', () => {
    expect(segmenterLocale('cmn')).toBe('zh')
    expect(segmenterLocale('jpn')).toBe('ja')
    expect(segmenterLocale('tha')).toBe('th')
    expect(segmenterLocale(null)).toBeUndefined()
  })

  it('keeps only word-like segments of unspaced script, and nothing for spaced text', () => {
    expect(wordSegments('我想要，OK！', 'cmn')).toEqual(['我', '想要'])
    expect(wordSegments('zo lú', 'qtl')).toEqual([])
  })

  it('gives segments as GATE entries, without the whole text, and answers a repeated text from its cache', () => {
    const first = segmentEntries('你想要什么', 'cmn')
    expect(first).toEqual([['你'], ['想', '要'], ['什', '么']])
    expect(segmentEntries('你想要什么', 'cmn')).toBe(first)
    expect(segmentEntries('电话', 'cmn')).toEqual([])
  })
})
