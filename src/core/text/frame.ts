/**
 * Discontinuous LEGOs: a target written with a gap (`ka…ri`, `ka...ri`) is a frame whose pieces
 * surround other words in a phrase. Containment passes when the pieces occur in order, and each
 * piece is vocabulary of its own. An ellipsis at either end only trails off: that is no frame.
 */
const GAP = /\s*(?:…|\.{3,})\s*/u

/** The pieces of a frame target, or null when the text has no gap between two pieces. */
export function framePieces(target: string): string[] | null {
  if (!target.includes('…') && !target.includes('...')) return null
  const pieces = target.split(GAP).map((p) => p.trim()).filter((p) => /[\p{L}\p{N}]/u.test(p))
  return pieces.length >= 2 ? pieces : null
}

/**
 * Whether a phrase's comparison key (units joined by spaces) holds every piece key in order, each
 * on unit boundaries. Unspaced characters are single units, so a piece of Han matches inside a run.
 */
export function containsInOrder(phraseKey: string, pieceKeys: readonly string[]): boolean {
  const haystack = ` ${phraseKey} `
  let from = 0
  for (const piece of pieceKeys) {
    const at = haystack.indexOf(` ${piece} `, from)
    if (at < 0) return false
    from = at + piece.length + 1
  }
  return true
}
