import {describe, expect, it} from 'vitest'

import {f12} from '../../../../src/core/formats/containers/f12-ed-form.js'
import {readContainer} from '../../../../src/core/formats/containers.js'

const hints = {name: 'agent_7.json'}

describe('F12: e/d and compact values under LEGO ids', () => {
  it('reads e then d (by level) as [target, known] pairs, in both forms', () => {
    const ed = {S0004L02: {lego: ['nolo', 'we vask'], e: [['nolo', 'we vask']], d: {'2': [['nolo ta', 'we vask it']]}}}
    const compact = {S0004L02: [['nolo', 'we vask'], [['nolo', 'we vask']], [[['nolo ta', 'we vask it']], [], [], []]]}
    for (const root of [ed, compact]) {
      expect(f12.recognise(root, hints)).toBe(true)
      const [basket] = f12.read(root, hints).baskets
      expect([basket!.phrases, basket!.order, basket!.lego]).toEqual([[['nolo', 'we vask'], ['nolo ta', 'we vask it']], 'target-known', {known: 'we vask', target: 'nolo'}])
      expect(readContainer(root, hints)!.format).toBe('F12')
    }
  })

  it('is not F12 when no value is in e/d form', () => {
    expect(f12.recognise({S0004L02: {practice_phrases: [['we vask', 'nolo']]}}, hints)).toBe(false)
  })
})
