import {describe, expect, it} from 'vitest'

import {duplicateKey} from '../../../src/core/staging/inspect.js'

describe('duplicate keys, which JSON.parse would silently collapse', () => {
  it('finds a key repeated in one object, at any depth, even when spelled with escapes', () => {
    expect(duplicateKey('{"a": 1, "a": 2}')).toEqual({key: 'a', offset: 9})
    expect(duplicateKey('{"x": [{"k": 1}, {"k": 2, "k": 3}]}')?.key).toBe('k')
    expect(duplicateKey('{"S0001L01": {}, "\\u0053\\u0030001L01": {}}')?.key).toBe('S0001L01')
  })

  it('does not confuse equal keys in different objects, or strings that look like keys', () => {
    expect(duplicateKey('{"a": {"b": 1}, "c": {"b": 2}}')).toBeNull()
    expect(duplicateKey('[{"a": 1}, {"a": 1}]')).toBeNull()
    expect(duplicateKey('{"a": "\\"a\\": {", "b": ["a", "a", {"a": 1}]}')).toBeNull()
    expect(duplicateKey('{"a": "}", "b": "{\\"b\\": 1, \\"b\\": 2}"}')).toBeNull()
  })
})
