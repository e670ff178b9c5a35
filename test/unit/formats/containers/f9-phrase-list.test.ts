import {describe, expect, it} from 'vitest'

import {f9} from '../../../../src/core/formats/containers/f9-phrase-list.js'

const list = [['we vask', 'nolo', null, 1], {known: 'we vask it', target: 'nolo ta'}]

describe('F9: a bare phrase list', () => {
  it('takes the LEGO id from the file name', () => {
    expect(f9.recognise(list, {name: 'S0004L02_agent.json'})).toBe(true)
    expect(f9.read(list, {name: 'S0004L02_agent.json'}).baskets.map((b) => [b.id, b.phrases])).toEqual([['S0004L02', list]])
  })

  it('refuses it when the name gives no id or several', () => {
    expect(f9.read(list, {name: 'agent.json'}).problems[0]).toMatchObject({kind: 'bad-id', message: expect.stringContaining('names none')})
    expect(f9.read(list, {name: 'S0004L02_S0004L03.json'}).problems[0]!.message).toContain('several (S0004L02, S0004L03)')
  })

  it('does not take a list of other things', () => {
    expect(f9.recognise([1, 2], {name: 'S0004L02.json'})).toBe(false)
    expect(f9.recognise([], {name: 'S0004L02.json'})).toBe(false)
  })
})
