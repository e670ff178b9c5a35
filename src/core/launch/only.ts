import {UsageError} from '../errors.js'

/**
 * `--only 1,3-5`: 1-based packet numbers, as prepare-segments lists them. Every number must name a
 * packet of the run and a range must go upwards: a typo that selected nothing would otherwise
 * "succeed" with nothing launched.
 */
export function parseOnly(spec: string, max: number): Set<number> {
  const out = new Set<number>()
  const range = max === 1 ? 'the run has 1 packet: 1' : `the run has ${max} packets: 1-${max}`
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part)
    if (!m) throw new UsageError({code: 'E_ONLY', message: `--only ${spec}: "${part}" is not a packet number or range (${range}).`, hint: 'Write packet numbers as shown by prepare-segments: 1,3-5.', details: {spec, max}})
    const a = Number(m[1])
    const b = m[2] ? Number(m[2]) : a
    if (a > b) throw new UsageError({code: 'E_ONLY_RANGE', message: `--only ${spec}: the range ${part.trim()} goes backwards.`, hint: `Write the lower number first (${b}-${a}); ${range}.`, details: {spec, max}})
    if (a < 1 || b > max) throw new UsageError({code: 'E_ONLY_RANGE', message: `--only ${spec}: ${part.trim()} is outside the run's packets (${range}).`, hint: `Pick numbers from 1 to ${max}, as in the # column of prepare-segments.`, details: {spec, max}})
    for (let i = a; i <= b; i++) out.add(i)
  }
  return out
}
