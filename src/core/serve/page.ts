import {detect} from '../detect/detect.js'
import {openCourse} from '../open/open-course.js'
import {runStatus, type StatusResult} from '../status/status.js'
import {escapeAttr} from '../text/html.js'
import {percentText} from '../text/percent.js'

/**
 * The live status page of `wicker serve` (GET /): the server renders every number in HTML, so the
 * page reads without JavaScript; a few lines of inline script only swap in fresh renders that
 * /v1/events pushes. No framework, no URL outside the server, every course string escaped.
 */

export interface SeedCoverage {
  seed: string
  /** new LEGOs of the seed */
  needed: number
  /** of those, how many have a usable basket in canon */
  present: number
}

export interface CoursePage {
  status: StatusResult
  seeds: SeedCoverage[]
}

/** What the page shows of one course: `wicker status --json`'s result, and coverage seed by seed. */
export async function coursePage(dir: string, cwd: string): Promise<CoursePage> {
  const {result: status} = await runStatus({course: dir, cwd, warnings: []})
  const {course, canon} = await openCourse({course: dir, cwd, warnings: []})
  const missing = new Map<string, number>()
  for (const m of detect(course, canon).missing) missing.set(m.seed, (missing.get(m.seed) ?? 0) + 1)
  const seeds = course.seeds.map((s) => {
    const needed = s.legos.filter((l) => l.isNew).length
    return {seed: s.id, needed, present: needed - (missing.get(s.id) ?? 0)}
  })
  return {status, seeds}
}

/** Text from a course folder, safe in HTML text and in a quoted attribute. */
const escapeHtml = escapeAttr
const pct = percentText

function seedGrid(seeds: SeedCoverage[]): string {
  const cells = seeds.map((s) => {
    const share = s.needed === 0 ? 1 : s.present / s.needed
    // ten shades, by class: the CSP allows no inline style attribute
    const shade = s.needed === 0 ? 'none' : String(Math.floor(share * 10))
    return `<li class="cell s${shade}" title="${escapeHtml(`${s.seed}: ${s.present}/${s.needed} new LEGOs with a basket`)}" data-seed="${escapeHtml(s.seed)}"><span>${escapeHtml(s.seed)}</span> ${s.present}/${s.needed}</li>`
  })
  return `<ol class="grid">${cells.join('')}</ol>`
}

function table(head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="none">${escapeHtml(empty)}</p>`
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')
  return `<table><thead><tr>${th}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((d) => `<td>${escapeHtml(d)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

function courseSection(page: CoursePage): string {
  const {status: s} = page
  const c = s.counts
  const classes = Object.entries(s.staging.byClass).map(([k, v]) => [k, String(v)])
  return `<section class="course" data-course="${escapeHtml(s.course)}">
<h2>${escapeHtml(s.course)}</h2>
<p class="coverage">coverage <b data-k="coverage">${pct(s.coverage)}</b>: <b data-k="present">${c.present}</b> of <b data-k="needed">${c.needed}</b> new LEGOs have a basket; <b data-k="missing">${c.missing}</b> missing · canon <b data-k="baskets">${s.canon.baskets}</b> baskets, generation ${escapeHtml(s.canon.generation ?? '–')}${s.lock ? ` · <span class="warn">locked by ${escapeHtml(s.lock.command)}</span>` : ''}${s.interrupted ? ` · <span class="warn">interrupted ${escapeHtml(s.interrupted)}</span>` : ''}</p>
<h3>Coverage by seed</h3>
${seedGrid(page.seeds)}
<h3>Staging: <span data-k="staging-files">${s.staging.files}</span> files, <span data-k="staging-candidates">${s.staging.candidates}</span> baskets</h3>
${table(['class', 'baskets'], classes, 'staging is empty')}
<h3>Runs</h3>
${table(['run', 'packets', 'ok', 'attempts', 'state'], s.runs.map((r) => [r.run, String(r.packets), String(r.ok), String(r.attempts), r.active ? 'running' : 'idle']), 'no prepared runs')}
<h3>Last merges</h3>
${table(['tx', 'kind', 'at', 'added', 'updated'], s.merges.map((m) => [m.tx, m.kind, m.at, String(m.added), String(m.updated)]), 'no merge yet')}
</section>`
}

/** The part the events stream sends again: every course's section. */
export function renderCourses(pages: CoursePage[], now = new Date()): string {
  return `${pages.map(courseSection).join('\n')}\n<p class="when">rendered <time>${escapeHtml(now.toISOString())}</time></p>`
}

const STYLE = `:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--mute:#666;--line:#ddd;--warn:#a40}
@media (prefers-color-scheme:dark){:root{--bg:#16181b;--fg:#e6e6e6;--mute:#999;--line:#333;--warn:#f90}}
body{background:var(--bg);color:var(--fg);font:14px/1.4 system-ui,sans-serif;margin:1.5em;max-width:70em}
h1{font-size:1.3em}h2{font-size:1.15em;border-bottom:1px solid var(--line)}h3{font-size:1em;margin:1em 0 .3em}
table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:2px 8px;text-align:left}
.none,.when{color:var(--mute)}.warn{color:var(--warn)}#live{color:var(--mute);font-size:.9em}
.grid{display:flex;flex-wrap:wrap;gap:3px;list-style:none;padding:0;margin:0}
.cell{font:11px/1 ui-monospace,monospace;padding:4px;border-radius:3px;min-width:6em;border:1px solid var(--line)}
.snone{opacity:.5}.s0{background:#c0392b55}.s1,.s2{background:#d3540055}.s3,.s4{background:#e67e2255}.s5,.s6{background:#f1c40f55}.s7,.s8{background:#9acd3255}.s9{background:#27ae6077}.s10{background:#27ae60bb}`

// fresh renders replace <main>; a lost stream is retried by EventSource itself
const SCRIPT = `const main=document.querySelector('main'),live=document.getElementById('live');
const es=new EventSource('/v1/events');
es.addEventListener('status',(e)=>{main.innerHTML=JSON.parse(e.data).html;live.textContent='live';});
es.onopen=()=>{live.textContent='live';};es.onerror=()=>{live.textContent='reconnecting…';};`

/** The whole page; `nonce` lets its one inline style and script run under the CSP. */
export function renderPage(pages: CoursePage[], nonce: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>wicker serve: ${escapeHtml(pages.map((p) => p.status.course).join(', '))}</title>
<style nonce="${nonce}">${STYLE}</style></head>
<body><h1>wicker serve <span id="live">static (no JavaScript: reload for fresh numbers)</span></h1>
<main>${renderCourses(pages)}</main>
<script nonce="${nonce}">${SCRIPT}</script></body></html>
`
}

/** GET / with no (good) token: how to get one. */
export function renderNeedToken(reason: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wicker serve: token needed</title></head>
<body><h1>A token is needed</h1>
<p>${escapeHtml(reason)}</p>
<p>Make one on the machine that serves the course: <code>wicker serve token create COURSE</code>, then open <code>/?token=THE_TOKEN</code> on this server once (the browser keeps it in a cookie).</p>
</body></html>
`
}

/** The Content-Security-Policy of the page: nothing but this server, and the page's own inline parts. */
export const pagePolicy = (nonce: string): string =>
  `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`
