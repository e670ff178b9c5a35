import {Random} from '../../src/core/generate/random.js'

/**
 * A sloppy agent reply of about `bytes` bytes, as `extract --repair` meets them: prose around a
 * JSON object of baskets (ids S0001L01…) whose text has the slips models make — a missing comma
 * between phrases, single quotes, a trailing comma, an unquoted key. Invented pseudo-words only.
 * Deterministic from `seed`.
 */
export function sloppyReply(bytes: number, seed = 1): {text: string; baskets: number} {
  const random = new Random(seed)
  const word = (syl: string[]) => Array.from({length: random.int(1, 3)}, () => random.pick(syl)).join('')
  const known = () => Array.from({length: random.int(2, 5)}, () => word(['ba', 'do', 'fi', 'gu', 'ke', 'lo', 'mi', 'nu', 'pe', 'ro'])).join(' ')
  const target = () => Array.from({length: random.int(2, 5)}, () => word(['vá', 'zé', 'xí', 'qó', 'jú', 'ñai', 'llei', 'tzou'])).join(' ')
  const parts: string[] = ['Here are the baskets you asked for:\n\n{\n']
  let size = Buffer.byteLength(parts[0]!)
  let baskets = 0
  for (let seedNo = 1; size < bytes; seedNo++) {
    for (let l = 1; l <= 4 && size < bytes; l++) {
      const id = `S${String(seedNo).padStart(4, '0')}L${String(l).padStart(2, '0')}`
      const phrases: string[] = []
      for (let p = 0; p < 10; p++) {
        const slip = random.int(0, 9)
        if (slip === 0) phrases.push(`['${known()}', '${target()}']`) // single quotes
        else phrases.push(`["${known()}", "${target()}"]`)
        if (p < 9) phrases.push(slip === 1 ? '\n      ' : ',\n      ') // a missing comma
      }
      const key = random.chance(0.1) ? id : `"${id}"` // an unquoted key
      const trailing = random.chance(0.2) ? ',' : '' // a trailing comma
      const basket = `  ${key}: {"practice_phrases": [\n      ${phrases.join('')}${trailing}\n  ]},\n`
      parts.push(basket)
      size += Buffer.byteLength(basket)
      baskets++
    }
  }
  parts.push('}\n\nLet me know if you need more.\n')
  return {text: parts.join(''), baskets}
}
