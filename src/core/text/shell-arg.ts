/** A value as it can be pasted into a POSIX shell: as is when safe, else single-quoted. */
export function shellArg(value: string): string {
  return /^[\w./:@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`
}
