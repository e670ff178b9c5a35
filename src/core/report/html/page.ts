import {createHash} from 'node:crypto'

import {CHARTS_STYLE} from './charts.js'
import {embedJson, escapeAttr, escapeText} from '../../text/html.js'
import {HEATMAP_STYLE} from './heatmap.js'

/**
 * The report as one self-contained HTML document that opens from disk: no URL is ever fetched (the
 * Content-Security-Policy forbids every load, and allows the one style sheet and the one optional
 * script by the sha256 of their exact text), every number is HTML text so the page reads with
 * JavaScript off, light and dark themes follow `prefers-color-scheme`.
 */

export interface ReportSection {
  /** the fragment id (`#coverage`): lower-case letters, digits and hyphens */
  id: string
  /** its `<h2>`; headings inside the body start at `<h3>` */
  title: string
  /** HTML made by the pieces of this folder (already escaped) */
  body: string
}

export interface ReportPageInput {
  title: string
  sections: ReadonlyArray<ReportSection>
  /** embedded as `<script type="application/json" id="report-data">` (it runs nothing) */
  data: unknown
  /** optional progressive enhancement (e.g. HEATMAP_SCRIPT); the page must not depend on it */
  script?: string
  /** a line under the title (what course, when) */
  subtitle?: string
}

/** Text and background of each theme; a unit test checks their contrast (WCAG AA, ≥ 4.5:1). */
export const THEMES = {
  light: {bg: '#ffffff', fg: '#1b1b1b', mute: '#595959', line: '#d0d0d0', accent: '#1f5fa8', focus: '#c2185b', cellLine: '#ffffff', na: '#c8c8c8', link: '#0b57a4'},
  dark: {bg: '#15171a', fg: '#e8e8e8', mute: '#a8a8a8', line: '#3a3d42', accent: '#7fb2f0', focus: '#ff80ab', cellLine: '#6b7078', na: '#55585e', link: '#8ab4f8'},
} as const

const vars = (t: (typeof THEMES)[keyof typeof THEMES]) =>
  `--bg:${t.bg};--fg:${t.fg};--mute:${t.mute};--line:${t.line};--accent:${t.accent};--focus:${t.focus};--cell-line:${t.cellLine};--na:${t.na};--link:${t.link}`

const BASE_STYLE = `:root{color-scheme:light dark;${vars(THEMES.light)}}
@media (prefers-color-scheme:dark){:root{${vars(THEMES.dark)}}}
*{box-sizing:border-box}
body{background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,sans-serif;margin:0 auto;padding:0 1.2em 2em;max-width:80em}
a{color:var(--link)}:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999em}.skip:focus{position:static;display:inline-block;margin:.5em 0}
header{border-bottom:1px solid var(--line);padding:.6em 0}h1{font-size:1.4em;margin:.2em 0}.subtitle{color:var(--mute);margin:0}
nav ol{display:flex;flex-wrap:wrap;gap:.4em 1.2em;list-style:none;padding:0;margin:.6em 0}
main:focus{outline:none}section{margin:1.6em 0}h2{font-size:1.2em;border-bottom:1px solid var(--line);padding-bottom:.2em}h3{font-size:1.05em}
figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.2em}
table{border-collapse:collapse;margin:.4em 0}caption{text-align:left;color:var(--mute)}
td,th{border:1px solid var(--line);padding:2px 8px;text-align:left;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums}
summary{cursor:pointer;color:var(--link)}footer{color:var(--mute);border-top:1px solid var(--line);margin-top:2em;padding-top:.6em}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.summary{display:grid;grid-template-columns:max-content 1fr;gap:.3em 1em}.summary dt{font-weight:600}.summary dd{margin:0}
mark{background:#ffd54f;color:#000}.wrong-side{text-decoration:underline wavy #d55e00}tr.flagged td{background:color-mix(in srgb,var(--focus) 8%,transparent)}
tr.mine th{font-weight:700}details.worst{margin:.4em 0}`

/** The page's one style sheet: the base and every piece's rules. */
export const REPORT_STYLE = `${BASE_STYLE}\n${HEATMAP_STYLE}\n${CHARTS_STYLE}`

/** A CSP source for inline text: 'sha256-<base64 of the sha256 of its exact UTF-8 text>'. */
export const cspHash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

/** The policy: nothing from anywhere (no fetch, font, frame, image other than data:), the page's own style and script by hash. */
export const reportPolicy = (style: string, script?: string): string =>
  `default-src 'none'; style-src ${cspHash(style)}; script-src ${script === undefined ? "'none'" : cspHash(script)}; img-src data:; base-uri 'none'; form-action 'none'`

const SECTION_ID = /^[a-z][a-z0-9-]*$/

export function reportPage(input: ReportPageInput): string {
  const ids = new Set<string>()
  for (const s of input.sections) {
    if (!SECTION_ID.test(s.id) || s.id === 'main' || ids.has(s.id)) throw new Error(`reportPage: section id "${s.id}" is not a fresh lower-case id`)
    ids.add(s.id)
  }
  // the script's text goes in verbatim (its hash must match), so it must not end its own element
  if (input.script !== undefined && /<\/script|<!--/i.test(input.script)) throw new Error('reportPage: the script contains "</script" or "<!--"')
  const style = REPORT_STYLE
  const nav = input.sections.map((s) => `<li><a href="#${s.id}">${escapeText(s.title)}</a></li>`).join('')
  const sections = input.sections.map((s) => `<section id="${s.id}" aria-labelledby="${s.id}-h"><h2 id="${s.id}-h">${escapeText(s.title)}</h2>\n${s.body}\n</section>`).join('\n')
  return `<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(reportPolicy(style, input.script))}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeText(input.title)}</title>
<link rel="icon" href="data:,">
<style>${style}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header><h1>${escapeText(input.title)}</h1>${input.subtitle ? `<p class="subtitle">${escapeText(input.subtitle)}</p>` : ''}</header>
<nav aria-label="Sections"><ol>${nav}</ol></nav>
<main id="main" tabindex="-1">
${sections}
</main>
<footer>A self-contained page: its data is in the page (<code>#report-data</code>), and it loads nothing from anywhere.</footer>
<script type="application/json" id="report-data">${embedJson(input.data)}</script>
${input.script === undefined ? '' : `<script>${input.script}</script>\n`}</body></html>
`
}
