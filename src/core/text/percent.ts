/**
 * A share (0..1) as a percentage with one decimal, as every command and the report show it. Rounded
 * to the nearest tenth, except that a share below 1 is never shown as 100.0% and one above 0 never
 * as 0.0% (a course with one basket missing is not complete).
 */
export function percentText(share: number): string {
  let text = (share * 100).toFixed(1)
  if (share < 1 && text === '100.0') text = '99.9'
  if (share > 0 && text === '0.0') text = '0.1'
  return `${text}%`
}
