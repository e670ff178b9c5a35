import type {CanonBasket, CanonPhrase} from '../../canon/model.js'
import type {CheckContext} from '../model.js'

/** A UTF-16 surrogate with no partner: JSON can carry it ("\ud800"), UTF-8 cannot encode it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Where the first lone surrogate is, as "\\ud800 at character 4", or null when the text is well formed. */
export function loneSurrogate(text: string): string | null {
  // well-formed text (almost all of it) has none: a native check, before the regex
  if ((text as string & {isWellFormed(): boolean}).isWellFormed()) return null
  const match = LONE_SURROGATE.exec(text)
  return match ? `\\u${match[0].charCodeAt(0).toString(16)} at character ${match.index}` : null
}

/**
 * Text that cannot be written as UTF-8: a lone surrogate in a phrase or in the basket's LEGO text,
 * usually from a broken \u escape in an agent's output. Every tool that reads canon as UTF-8 turns it
 * into U+FFFD or fails, so it is an error, whichever LEGO the basket is for.
 */
export function checkEncoding(ctx: CheckContext, basket: CanonBasket, phrases: ReadonlyArray<CanonPhrase | null> = basket.phrases): void {
  // once per phrase of the whole canon: no array or closure made per phrase, known side before target
  for (let index = 0; index < phrases.length; index++) {
    const phrase = phrases[index]
    if (!phrase) continue
    phraseSide(ctx, basket.id, index, 'known', phrase.known)
    phraseSide(ctx, basket.id, index, 'target', phrase.target)
  }
  const lego = basket.lego
  if (lego) {
    legoSide(ctx, basket.id, 'known', lego.known)
    legoSide(ctx, basket.id, 'target', lego.target)
  }
}

function phraseSide(ctx: CheckContext, id: string, index: number, side: 'known' | 'target', text: string): void {
  const where = loneSurrogate(text)
  if (where) ctx.report('encoding', id, index, `phrase ${index} has a lone surrogate (${where}) in its ${side} side: text that cannot be written as UTF-8; rewrite the phrase.`)
}

function legoSide(ctx: CheckContext, id: string, side: 'known' | 'target', text: string): void {
  const where = loneSurrogate(text)
  if (where) ctx.report('encoding', id, null, `the lego text has a lone surrogate (${where}) in its ${side} side: text that cannot be written as UTF-8; take it from lego_pairs.`)
}
