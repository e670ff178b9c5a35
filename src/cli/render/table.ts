/** A plain text table: columns padded to their widest cell, numbers right-aligned. */
export function table(headers: string[], rows: Array<Array<string | number>>, options: {indent?: string} = {}): string[] {
  const cells = rows.map((r) => r.map(String))
  const visible = (s: string) => s.replace(/\u001B\[[0-9;]*m/g, '').length
  const widths = headers.map((h, i) => Math.max(visible(h), ...cells.map((r) => visible(r[i] ?? ''))))
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'))
  const line = (r: string[]) =>
    (options.indent ?? '') +
    r
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i]! - visible(c)))
        return numeric[i] ? pad + c : c + pad
      })
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)]
}

export {percentText as percent} from '../../core/text/percent.js'
