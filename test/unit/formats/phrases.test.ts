import {describe, expect, it} from 'vitest'

import {phraseKeys, readPhrases} from '../../../src/core/formats/phrases.js'

const keys = phraseKeys('eng', 'cmn')
const slot = (english: string, mandarin: string) => ({phrase: {english, mandarin}})

describe('slot scaffolds', () => {
  it('drops empty optional slots, names them, and keeps the basket', () => {
    const raw = {
      short_1_to_2_legos: {slots: [slot('we vask', '我们瓦'), slot('we vask it', '我们瓦它')]},
      bonus_optional: {slots: [slot('', ''), {phrase: {english: ' ', mandarin: '', notes: ''}, lego_count: 3}, slot('om bra', '欧布')]},
    }
    const read = readPhrases(raw, 'known-target', keys)
    expect(read.scaffold).toBe('F13')
    expect(read.problems).toEqual([])
    expect(read.dropped).toEqual(['bonus_optional.slots[0]', 'bonus_optional.slots[1]'])
    expect(read.phrases.map((p) => p.known)).toEqual(['we vask', 'we vask it', 'om bra'])
  })

  it('keeps an empty slot of a required category, and a half-filled optional one (the basket is then invalid)', () => {
    const read = readPhrases({short_1_to_2_legos: {slots: [slot('', '')]}, bonus_optional: {slots: [slot('om bra', '')]}}, 'known-target', keys)
    expect(read.dropped).toEqual([])
    expect(read.phrases).toEqual([
      {known: '', target: ''},
      {known: 'om bra', target: ''},
    ])
  })

  it('a scaffold whose only slots are empty optional ones gives no phrase, and says nothing is unreadable', () => {
    const read = readPhrases({bonus_optional: [slot('', '')]}, 'known-target', keys)
    expect(read).toEqual({phrases: [], problems: [], scaffold: 'F13', dropped: ['bonus_optional[0]']})
  })
})

describe('phrase keys', () => {
  it('map the course\'s language codes and names to the sides', () => {
    const spa = phraseKeys('eng', 'spa')
    expect(readPhrases([{eng: 'we vask', spa: 'nolo'}, {english: 'ta zum', spanish: 'fe ril'}], 'known-target', spa).phrases).toEqual([
      {known: 'we vask', target: 'nolo'},
      {known: 'ta zum', target: 'fe ril'},
    ])
    // English as the target: `eng` and `english` are the target side
    expect(readPhrases([{cmn: '我们瓦', eng: 'we vask'}], 'known-target', phraseKeys('cmn', 'eng')).phrases).toEqual([{known: '我们瓦', target: 'we vask'}])
  })
})
