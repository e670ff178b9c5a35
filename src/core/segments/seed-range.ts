import {UsageError} from '../errors.js'

/**
 * `--seeds S0010-S0050` (or one seed, S0012) against the course's own seeds. A range that goes
 * backwards or lies outside the course selects nothing, which used to end as "nothing to prepare",
 * exit 0: it is a usage error naming the range the course has.
 */
export function parseSeedRange(spec: string, course: {first: number; last: number}): [number, number] {
  const name = (n: number) => `S${String(n).padStart(4, '0')}`
  const has = course.last < course.first ? 'the course has no seeds' : `the course's seeds are ${name(course.first)}-${name(course.last)}`
  const match = /^S?(\d+)(?:\s*-\s*S?(\d+))?$/i.exec(spec.trim())
  if (!match) throw new UsageError({code: 'E_SEEDS', message: `--seeds ${spec} is not a seed range (${has}).`, hint: 'Write S0010-S0050, or one seed: S0012.'})
  const a = Number(match[1])
  const b = match[2] ? Number(match[2]) : a
  if (a > b) throw new UsageError({code: 'E_SEEDS_RANGE', message: `--seeds ${spec} goes backwards (${has}).`, hint: `Write the first seed first: --seeds ${name(b)}-${name(a)}.`, details: {spec, first: course.first, last: course.last}})
  if (course.last < course.first || b < course.first || a > course.last) throw new UsageError({code: 'E_SEEDS_RANGE', message: `--seeds ${spec} is outside the course (${has}).`, hint: `Pick seeds from ${name(course.first)} to ${name(course.last)}.`, details: {spec, first: course.first, last: course.last}})
  return [a, b]
}
