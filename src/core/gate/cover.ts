import type {Unit} from '../text/normalize.js'

/**
 * Covers a phrase's units with vocabulary entries (sequences of units) so that as few units as
 * possible are left over, then with as few entries as possible. Unspaced scripts are matched by the
 * longest available entry this way, never one character at a time.
 */
export interface Cover {
  /** entries used */
  entries: number
  /** units no available entry covers, grouped: consecutive unspaced characters form one word */
  uncovered: string[]
}

export function cover(units: Unit[], lengths: readonly number[], available: (key: string) => boolean): Cover {
  const n = units.length
  const misses = new Array<number>(n + 1).fill(Infinity)
  const count = new Array<number>(n + 1).fill(Infinity)
  const step = new Array<number>(n + 1).fill(0)
  const matched = new Array<boolean>(n + 1).fill(false)
  misses[0] = 0
  count[0] = 0
  const relax = (to: number, m: number, c: number, len: number, ok: boolean) => {
    if (m < misses[to]! || (m === misses[to] && c < count[to]!)) {
      misses[to] = m
      count[to] = c
      step[to] = len
      matched[to] = ok
    }
  }
  for (let i = 0; i < n; i++) {
    const m = misses[i]!
    if (m === Infinity) continue
    const c = count[i]!
    for (const len of lengths) {
      if (i + len > n) continue
      let key = units[i]!.text
      for (let j = i + 1; j < i + len; j++) key += ' ' + units[j]!.text
      if (available(key)) relax(i + len, m, c + 1, len, true)
    }
    relax(i + 1, m + 1, c + 1, 1, false)
  }
  const missed: number[] = []
  for (let at = n; at > 0; at -= step[at]!) if (!matched[at]) missed.push(at - 1)
  missed.reverse()
  const uncovered: string[] = []
  let previous = -2
  for (const i of missed) {
    const unit = units[i]!
    if (i === previous + 1 && unit.unspaced && units[previous]!.unspaced) uncovered[uncovered.length - 1] += unit.text
    else uncovered.push(unit.text)
    previous = i
  }
  return {entries: count[n]!, uncovered}
}
