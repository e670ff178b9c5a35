import {describe, expect, it} from 'vitest'

import {embedJson, escapeAttr, escapeText, isolated, isolatedAttr} from '../../../src/core/text/html.js'
import {reportPage} from '../../../src/core/report/html/page.js'

const HOSTILE = ['</script><script>alert(1)</script>', '</SCRIPT >', '<!--', '<!-- <script>', ']]>', '-->', 'a\uD800b', '\uDFFFz', 'x\u2028y\u2029z', '\u202Eabc\u202C \u200F\u200E', '"\'&<>', '\0nul', '<\/script>', '\u2066iso\u2069']

const scripts = (html: string) => ({opens: html.match(/<script\b/gi)?.length ?? 0, closes: html.match(/<\/script/gi)?.length ?? 0})

describe('report html escaping', () => {
  it('leaves no tag, entity or quote of course text active in content or attributes', () => {
    for (const s of HOSTILE) {
      expect(escapeText(s)).not.toMatch(/[<>\0]|&(?!amp;|lt;|gt;)/)
      expect(escapeAttr(s)).not.toMatch(/[<>"'\0]|&(?!amp;|lt;|gt;|quot;|#39;)/)
    }
    expect(escapeText('<b>&amp;</b>')).toBe('&lt;b&gt;&amp;amp;&lt;/b&gt;')
    expect(escapeAttr(`"x' y`)).toBe('&quot;x&#39; y')
  })

  it('isolates course text so a right-to-left override cannot reorder what follows it', () => {
    expect(isolated('\u202Eevil')).toBe('<bdi>\u202Eevil</bdi>')
    expect(isolatedAttr('\u202E"x')).toBe('\u2068\u202E&quot;x\u2069')
  })

  it('embeds JSON with no <, >, & or U+2028/2029 left, and it parses back to the same value', () => {
    const value = {labels: HOSTILE, nested: {[HOSTILE[0]!]: HOSTILE, n: [1, 2.5, 0, null, true]}}
    const text = embedJson(value)
    expect(text).not.toMatch(/[<>&\u2028\u2029]/)
    // every lone surrogate is written as an escape, so the text is well-formed (survives UTF-8)
    expect(text).toBe(Buffer.from(text, 'utf8').toString('utf8'))
    expect(JSON.parse(text)).toEqual(value)
    expect(JSON.parse(Buffer.from(text, 'utf8').toString('utf8'))).toEqual(value)
    expect(() => embedJson(undefined)).toThrow(/no JSON form/)
  })

  it('gives a page with hostile text in title, sections and data exactly one </script> per script', () => {
    for (const script of [undefined, 'document.body.dataset.ok="1"']) {
      const html = reportPage({title: HOSTILE.join(' '), subtitle: HOSTILE[2], sections: [{id: 'a', title: HOSTILE[0]!, body: `<p>${escapeText(HOSTILE.join(''))}</p>`}], data: {HOSTILE}, ...(script ? {script} : {})})
      expect(scripts(html)).toEqual({opens: script ? 2 : 1, closes: script ? 2 : 1})
      expect(html).not.toContain('<!--')
      const json = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)![1]!
      expect(JSON.parse(json)).toEqual({HOSTILE})
    }
  })

  it('refuses a script that would end its own element', () => {
    expect(() => reportPage({title: 't', sections: [], data: 1, script: 'x="</script>"'})).toThrow(/contains/)
  })
})
