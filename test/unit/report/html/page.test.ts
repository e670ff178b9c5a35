import {createHash} from 'node:crypto'

import {describe, expect, it} from 'vitest'

import {reportPage, THEMES} from '../../../../src/core/report/html/page.js'

const unescapeAttr = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`
const policyOf = (html: string) => unescapeAttr(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1]!)
const directives = (policy: string) => Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]))

// WCAG relative luminance and contrast ratio
const lum = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}
const contrast = (a: string, b: string) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05)

const SECTIONS = [
  {id: 'coverage', title: 'Coverage', body: '<h3>by seed</h3><p>12 of 14</p>'},
  {id: 'runs', title: 'Launch runs', body: '<p>3 runs</p>'},
]

describe('reportPage', () => {
  it('allows its style and its script by the sha256 of their exact text, and nothing from anywhere else', () => {
    const script = 'document.documentElement.dataset.js = "on"'
    const html = reportPage({title: 'Report', sections: SECTIONS, data: {a: 1}, script})
    const d = directives(policyOf(html))
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!)
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!)
    expect([styles.length, inline.length]).toEqual([1, 1])
    expect(d['style-src']).toEqual([sha(styles[0]!)])
    expect(d['script-src']).toEqual([sha(inline[0]!)])
    expect(inline[0]).toBe(script)
    expect(d['default-src']).toEqual(["'none'"])
    expect(d['img-src']).toEqual(['data:'])
    expect(d['base-uri']).toEqual(["'none'"])
    expect(d['form-action']).toEqual(["'none'"])
    // nothing the policy would block is in the page: no style attribute, no handler, no URL
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=|(?:src|href)="(?!#|data:)/)
  })

  it('runs no script at all when it is given none', () => {
    const html = reportPage({title: 'Report', sections: SECTIONS, data: null})
    expect(directives(policyOf(html))['script-src']).toEqual(["'none'"])
    expect(html).not.toMatch(/<script>/)
  })

  it('puts the charset and the policy before anything else in <head>', () => {
    const html = reportPage({title: 'Report', sections: SECTIONS, data: null})
    const head = /<head>([\s\S]*?)<\/head>/.exec(html)![1]!.trim().split('\n')
    expect(head[0]).toBe('<meta charset="utf-8">')
    expect(head[1]).toMatch(/^<meta http-equiv="Content-Security-Policy"/)
  })

  it('has a skip link to <main>, a <nav> of the sections, and headings in order', () => {
    const html = reportPage({title: 'Report', sections: SECTIONS, data: null})
    expect(html).toMatch(/<a class="skip" href="#main">/)
    expect(html).toMatch(/<main id="main"/)
    const nav = /<nav aria-label="Sections">([\s\S]*?)<\/nav>/.exec(html)![1]!
    expect([...nav.matchAll(/href="#([^"]+)">([^<]+)</g)].map((m) => [m[1], m[2]])).toEqual([['coverage', 'Coverage'], ['runs', 'Launch runs']])
    for (const s of SECTIONS) expect(html).toContain(`<section id="${s.id}" aria-labelledby="${s.id}-h"><h2 id="${s.id}-h">`)
    const levels = [...html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]))
    expect(levels).toEqual([1, 2, 3, 2])
    levels.forEach((l, i) => expect(l - (levels[i - 1] ?? 0)).toBeLessThanOrEqual(1))
  })

  it('refuses section ids that are not fresh fragment ids', () => {
    for (const id of ['main', 'Has Space', '"x', '']) expect(() => reportPage({title: 't', sections: [{id, title: 't', body: ''}], data: null})).toThrow(/section id/)
    expect(() => reportPage({title: 't', sections: [SECTIONS[0]!, SECTIONS[0]!], data: null})).toThrow(/section id/)
  })

  it('has a light and a dark theme by prefers-color-scheme, each with readable text (≥ 4.5:1)', () => {
    const html = reportPage({title: 'Report', sections: SECTIONS, data: null})
    expect(html).toMatch(/@media \(prefers-color-scheme:dark\)\{:root\{--bg:#15171a;--fg:#e8e8e8/)
    for (const t of Object.values(THEMES)) {
      for (const fg of [t.fg, t.mute, t.link]) expect(contrast(fg, t.bg)).toBeGreaterThanOrEqual(4.5)
      // the focus ring and the bars against the page: non-text contrast ≥ 3:1
      for (const c of [t.focus, t.accent]) expect(contrast(c, t.bg)).toBeGreaterThanOrEqual(3)
    }
  })
})
