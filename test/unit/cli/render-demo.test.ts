import {describe, expect, it} from 'vitest'

import {demoStepSummary} from '../../../src/cli/render/demo.js'

describe('the demo renderer', () => {
  it('says each step the way the demo prints it, from the data core returns', () => {
    expect(demoStepSummary({step: 'detect', present: 43, needed: 80, missing: 37, coverage: 43 / 80})).toBe('43 of 80 new LEGOs have a basket (53.8%); 37 missing')
    expect(demoStepSummary({step: 'prepare-segments', run: 'run-zorbleft', packets: 0, seeds: 0, legos: 0})).toBe('nothing to prepare')
    expect(demoStepSummary({step: 'launch', launched: null})).toBe('nothing to launch')
    expect(demoStepSummary({step: 'preview', counts: {new: 3, identical: 0, overage: 1}, coverage: {before: 0.5, after: 1}})).toBe('3 new, 1 overage; coverage 50.0% → 100.0%')
    expect(demoStepSummary({step: 'preview', counts: {new: 0}, coverage: {before: 1, after: 1}})).toBe('nothing in staging; coverage 100.0% → 100.0%')
    expect(demoStepSummary({step: 'merge', merged: {tx: 'merge-plonk', added: 2, baskets: {before: 5, after: 7}, consumed: 1}})).toBe('merge-plonk: 2 added; 5 → 7 baskets; 1 staging file(s) moved to .applied/')
    expect(demoStepSummary({step: 'validate', passed: false, baskets: 7, phrases: 40, errors: 1, warnings: 2, gate: 'strict', coverage: 1})).toBe('FAILED: 7 baskets, 40 phrases, 1 error(s), 2 warning(s), GATE strict; coverage 100.0%')
  })
})
