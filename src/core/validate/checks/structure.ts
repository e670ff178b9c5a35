import {hasUsable} from '../../canon/model.js'
import type {CheckContext} from '../model.js'

/** Course-wide checks: what canon holds, where, and in what shape; what lego_pairs lacks. */
export function checkStructure(ctx: CheckContext): void {
  const {course, canon, report} = ctx
  for (const finding of course.findings) {
    if (finding.kind === 'inferred-new' || finding.kind === 'course-name') continue
    report('lego-pairs', finding.lego ?? null, null, finding.message)
  }
  for (const finding of canon.findings) {
    const basket = finding.basket ?? null
    const phrase = finding.phrase ?? null
    switch (finding.kind) {
      case 'bad-basket':
      case 'bad-phrase':
      case 'non-lego-key':
        report('schema', basket, phrase, finding.message)
        break
      case 'stale-metadata':
        report('derived-fields', null, null, finding.message)
        break
      default:
        report('legacy-shape', basket, phrase, finding.message)
    }
  }
  for (const lego of course.legos) {
    if (!lego.isNew) continue
    const basket = canon.baskets.get(lego.id)
    if (!basket) report('coverage', lego.id, null, `new LEGO ${lego.id} "${lego.target}" has no basket.`)
    else if (!hasUsable(basket)) report('coverage', lego.id, null, `new LEGO ${lego.id} "${lego.target}" has only an empty basket.`)
  }
  for (const basket of canon.baskets.values()) {
    const lego = course.legoById.get(basket.id)
    if (!hasUsable(basket)) report('empty-basket', basket.id, null, `basket ${basket.id} has no usable phrase.`)
    if (!lego) report('orphan', basket.id, null, `basket ${basket.id} is for no LEGO of ${course.code}.`)
    else if (!lego.isNew) report('overage', basket.id, null, `basket ${basket.id} is for LEGO "${lego.target}", which is not new (new: false); only new LEGOs get a basket.`)
  }
  for (const stray of canon.strays.values()) {
    report('stray', stray.id, null, `basket ${stray.id} sits at the canon's top level, not under "baskets".`)
  }
}
