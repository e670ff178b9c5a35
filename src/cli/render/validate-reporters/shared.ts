import {relative} from 'node:path'

import type {CheckId, Finding} from '../../../core/validate/model.js'
import type {ValidateResult} from '../../../core/validate/validate.js'

/** The canon file as CI tools want it: relative to the folder the command ran in. */
export const reportFile = (r: ValidateResult, cwd: string) => relative(cwd, r.file) || r.file

export const blockingChecks = (r: ValidateResult) => new Set<CheckId>(r.checks.filter((c) => c.blocks).map((c) => c.id))

export const findingTitle = (f: Finding) => `${f.check}${f.basket === null ? '' : ` in ${f.basket}`}${f.phrase === null ? '' : ` phrase ${f.phrase}`}`

/** Baskets with the most error findings first, then the most findings (course-wide coverage findings left out). */
export function worstBaskets(r: ValidateResult, limit: number): {worst: Array<[string, Finding[]]>; total: number} {
  const byBasket = new Map<string, Finding[]>()
  for (const f of r.findings) {
    if (f.check === 'coverage' || f.basket === null) continue
    const list = byBasket.get(f.basket)
    if (list) list.push(f)
    else byBasket.set(f.basket, [f])
  }
  const errors = (list: Finding[]) => list.filter((f) => f.severity === 'error').length
  const worst = [...byBasket.entries()].sort((a, b) => errors(b[1]) - errors(a[1]) || b[1].length - a[1].length).slice(0, limit)
  return {worst, total: byBasket.size}
}
