import {XMLParser, XMLValidator} from 'fast-xml-parser'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {validateReport} from '../../../src/cli/render/validate-reporters/index.js'
import {readCanon} from '../../../src/core/canon/read.js'
import {loadCourse} from '../../../src/core/course/load.js'
import {gateSettingsSchema, validateSettingsSchema, type ValidateSettings} from '../../../src/core/schemas/config.js'
import {validate} from '../../../src/core/validate/validate.js'
import {tempDir, writeTree} from '../../helpers/fs.js'
import {VERDICT_CODE, verdictCanon, verdictPairs, type VerdictCanonOptions} from '../../helpers/verdict-course.js'

/** Everything a reporter must not pass on raw: workflow-command, XML and Markdown syntax, line breaks, a lone surrogate, a control character. */
const HOSTILE = 'fen 100% 7%0A%25 <b>&amp; ]]> | `x` a,b:c::d\r\nline2 \ud800 \u0001'

/** A course in a folder whose name holds `,` and `:` (GitHub property separators) and `%`. */
async function report(canon: VerdictCanonOptions, settings: Partial<ValidateSettings> = {}) {
  const cwd = tempDir()
  const dir = writeTree(join(cwd, 'dir,with:sep%', VERDICT_CODE), {'lego_pairs.json': verdictPairs, 'lego_baskets.json': verdictCanon(canon)})
  const course = await loadCourse(dir)
  const loaded = await readCanon(course.files.canon, {allowLoneSurrogates: true})
  const result = validate(course, loaded, {gate: gateSettingsSchema.parse({}), validate: validateSettingsSchema.parse(settings)})
  return {result, cwd, file: `dir,with:sep%/${VERDICT_CODE}/lego_baskets.json`}
}

const hostile = {legoText: 1, legoKnown: HOSTILE, containment: true, containmentTarget: `bró ${HOSTILE}`}

/** GitHub's own reading of a workflow command (actions/toolkit): split, then undo the escapes. */
function readCommand(line: string) {
  const match = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line)
  if (!match) throw new Error(`not a workflow command: ${JSON.stringify(line)}`)
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%')
  const properties = Object.fromEntries((match[2] ?? '').split(',').filter(Boolean).map((p) => [p.slice(0, p.indexOf('=')), unescape(p.slice(p.indexOf('=') + 1))]))
  return {level: match[1], properties, message: unescape(match[3]!)}
}

describe('validate --format github', () => {
  it('one workflow command per finding on the canon file, escaped so GitHub reads back the exact text', async () => {
    const {result, cwd, file} = await report(hostile)
    const lines = validateReport('github', result, cwd).trimEnd().split('\n')
    expect(lines).toHaveLength(result.findings.length + 1)
    const commands = lines.map(readCommand)
    for (const [i, f] of result.findings.entries()) {
      expect(commands[i]).toEqual({level: result.checks.find((c) => c.id === f.check)!.blocks ? 'error' : 'warning', properties: {file, title: `${f.check} in ${f.basket}${f.phrase === null ? '' : ` phrase ${f.phrase}`}`}, message: `${f.basket}: ${f.message}`})
    }
    expect(result.findings.map((f) => f.message).join('')).toContain('\r\nline2')
    expect(commands.filter((c) => c.properties.title?.startsWith('containment'))[0]!.level).toBe('error')
    expect(commands.filter((c) => c.properties.title?.startsWith('lego-text'))[0]!.level).toBe('warning')
    expect(commands.at(-1)).toEqual({level: 'error', properties: {title: `wicker validate ${VERDICT_CODE}: BLOCK`}, message: ['Verdict: BLOCK', ...result.verdictReasons].join('\n')})
  })

  it('annotates as ::warning what does not block, and ends on a notice when the course proceeds', async () => {
    const conditional = await report({legoText: 1})
    expect(validateReport('github', conditional.result, conditional.cwd).trimEnd().split('\n').map((l) => readCommand(l).level)).toEqual(['warning', 'warning'])
    const clean = await report({})
    expect(validateReport('github', clean.result, clean.cwd)).toBe(`::notice title=wicker validate ${VERDICT_CODE}%3A PROCEED::Verdict: PROCEED\n`)
  })
})

/** The five entities and the carriage return, and back. */
const unxml = (s: string) => s.replace(/&#13;/g, '\r').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
/** What XML 1.0 forbids outright in a document. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

describe('validate --format junit', () => {
  it('a testsuite per check, a testcase per basket, failures for what blocks, every text escaped', async () => {
    const {result, cwd, file} = await report(hostile)
    const xml = validateReport('junit', result, cwd)
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true)
    expect(NOT_XML.test(xml)).toBe(false)
    // a real XML parser accepts the document and reads the hostile text back as it was written
    expect(XMLValidator.validate(xml)).toBe(true)
    const parsed = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name)}).parse(xml)
    expect(parsed.testsuites.testsuite).toHaveLength(result.checks.length)
    const parsedLegoText = parsed.testsuites.testsuite.find((s: {name: string}) => s.name === 'lego-text')
    expect(String(parsedLegoText.testcase[0]['system-out'])).toContain('fen 100% 7%0A%25 <b>&amp; ]]> | `x` a,b:c::d')
    // a parser reads a raw carriage return as a line feed
    expect(xml).not.toContain('\r')
    // outside tags only text and entities: no raw < or &, so no ]]> or <b> survives
    const text = xml.replace(/<\?xml[^>]*\?>/, '').replace(/<\/?[a-z-]+(?: [a-z]+="[^"<]*")*\s*\/?>/g, '')
    expect(text).not.toMatch(/[<>]|&(?!(?:lt|gt|amp|quot|apos|#13);)/)
    expect(xml.match(/<testsuite /g)).toHaveLength(result.checks.length)

    const suite = (id: string) => new RegExp(`<testsuite name="${id}" tests="(\\d+)" failures="(\\d+)"[^>]*>([\\s\\S]*?)</testsuite>`).exec(xml)
    const containment = suite('containment')!
    expect(containment.slice(1, 3)).toEqual(['1', '1'])
    expect(containment[3]).toContain(`<testcase classname="${VERDICT_CODE}.containment" name="S0001L02" file="${file}">`)
    const failure = /<failure type="containment" message="([^"]*)">([^<]*)<\/failure>/.exec(containment[3]!)!
    const finding = result.findings.find((f) => f.check === 'containment')!
    expect(unxml(failure[1]!)).toBe(`1 error finding(s): ${finding.message.replace('\ud800', '\\uD800').replace('\u0001', '\\u0001')}`)
    expect(unxml(failure[2]!)).toContain('\\uD800 \\u0001')

    // a warning does not fail the suite: it is listed in system-out
    const legoText = suite('lego-text')!
    expect(legoText.slice(1, 3)).toEqual(['1', '0'])
    expect(unxml(/<system-out>([^<]*)<\/system-out>/.exec(legoText[3]!)![1]!)).toContain('fen 100% 7%0A%25 <b>&amp; ]]> | `x` a,b:c::d\r\nline2')
    // a check that found nothing is one passing testcase
    expect(suite('orphan')![3]).toContain(`<testcase classname="${VERDICT_CODE}.orphan" name="orphan" file=`)
    const failures = xml.match(/<failure /g)!.length
    expect(new RegExp(`<testsuites name="[^"]*: BLOCK" tests="\\d+" failures="${failures}"`).test(xml)).toBe(true)
  })
})

describe('validate --format markdown', () => {
  it('the verdict, a row per check and the worst baskets, with | ` < and line breaks kept as text', async () => {
    const printable = HOSTILE.replace(/ \ud800 \u0001$/, '')
    const {result, cwd} = await report({...hostile, legoKnown: printable, containmentTarget: `bró ${printable}`})
    const md = validateReport('markdown', result, cwd)
    expect(md).toContain('**Verdict: BLOCK**')
    expect(md).toContain('- containment: 1 finding(s) in a critical check (limit 0)')
    const rows = md.split('\n').filter((l) => l.startsWith('| '))
    // every row of a table has as many cells as its header: no `|` of the text split a cell
    const cells = (l: string) => l.split(/(?<!\\)\|/).length
    const checkRows = rows.slice(0, rows.findIndex((l) => l.startsWith('| basket')))
    expect(new Set(checkRows.map(cells))).toEqual(new Set([7]))
    expect(checkRows.some((l) => l.startsWith('| containment | error | yes | 1 | yes |'))).toBe(true)
    const basketRows = rows.slice(rows.findIndex((l) => l.startsWith('| basket')))
    expect(basketRows.map((l) => l.split(' | ')[0])).toEqual(['| basket', '| ---', '| S0001L02', '| S0001L01'])
    expect(new Set(basketRows.map(cells))).toEqual(new Set([6]))
    expect(md).toContain('fen 100% 7%0A%25 \\<b\\>\\&amp; \\]\\]\\> \\| \\`x\\` a,b:c::d line2')
    expect(md).not.toMatch(/\r/)
  })
})
