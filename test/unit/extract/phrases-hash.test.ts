import {describe, expect, it} from 'vitest'

import {normalisePhrases, phrasesHash, tidyPhrasesHash} from '../../../src/core/extract/candidate.js'

describe('the hash of tidied phrases', () => {
  it('is phrasesHash of the same phrases as they came, however untidy', () => {
    const raw = [
      {known: '  we  vask ', target: 'nolo\u00a0\u00a0tu'},
      {known: 'cafe\u0301', target: 'ta\tne'},
      {known: 'x', target: 'y'},
    ]
    const tidied = normalisePhrases(raw) as Array<{known: string; target: string}>
    expect(tidyPhrasesHash(tidied)).toBe(phrasesHash(raw))
    expect(tidyPhrasesHash([])).toBe(phrasesHash([]))
    // and it tells different phrase lists apart, order included
    expect(tidyPhrasesHash([tidied[1]!, tidied[0]!, tidied[2]!])).not.toBe(phrasesHash(raw))
  })
})
