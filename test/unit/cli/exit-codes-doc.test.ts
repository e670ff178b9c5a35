import {readdirSync, readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {EXIT} from '../../../src/core/errors.js'

/**
 * One table of exit codes: EXIT in errors.ts, the README's "Exit codes" section, and each command's
 * "Exit codes:" line in its --help say the same thing (a code never gets a second meaning in some
 * mode, as "2: changes ready" once did in preview).
 */
const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
const COMMANDS = new URL('../../../src/commands/', import.meta.url)

/** what each code may be called in a command's line (0 is named by what went well) */
const MEANING: Record<number, RegExp> = {
  [EXIT.findings]: /^findings\b/,
  [EXIT.usage]: /^usage\b/,
  [EXIT.blocked]: /^blocked\b/,
  [EXIT.io]: /^I\/O\b/,
  [EXIT.conditional]: /^CONDITIONAL_PROCEED\b/,
  [EXIT.changes]: /^changes ready\b/,
  [EXIT.sighup]: /^stopped by\b/,
}

function readmeCodes(): number[] {
  const section = README.slice(README.indexOf('\n## Exit codes\n'), README.indexOf('\n## ', README.indexOf('\n## Exit codes\n') + 1))
  return section
    .split('\n')
    .filter((line) => /^\| \d/.test(line))
    .flatMap((line) => line.split('|')[1]!.split('/').map((c) => Number(c.trim())))
}

describe('exit codes are documented once, and every command says them the same way', () => {
  it('the README table lists exactly the codes of EXIT, each once', () => {
    const codes = readmeCodes()
    expect(new Set(codes).size).toBe(codes.length)
    expect(codes.sort((a, b) => a - b)).toEqual([...new Set(Object.values(EXIT))].sort((a, b) => a - b))
  })

  // topic commands too (serve/token/create.ts)
  const files = readdirSync(COMMANDS, {recursive: true, encoding: 'utf8'}).filter((f) => f.endsWith('.ts'))
  it.each(files)('%s: its "Exit codes:" line uses the table\'s codes and words', async (file) => {
    const {default: command} = (await import(new URL(file, COMMANDS).href)) as {default: {description?: string}}
    const line = command.description?.split('\n').find((l) => l.startsWith('Exit codes: '))
    expect(line, 'the description ends with an "Exit codes:" line').toBeDefined()
    const named = [...line!.slice('Exit codes: '.length).matchAll(/(?:^|[;:,] )(\d+(?:\/\d+)*) ([^;,]+)/g)]
    expect(named.length).toBeGreaterThan(1)
    for (const [, codes, words] of named) {
      for (const code of codes!.split('/').map(Number)) {
        expect(Object.values(EXIT) as number[], `${file}: ${code} is not an exit code`).toContain(code)
        expect(code, `${file}: 10 is a bug, never documented per command`).not.toBe(EXIT.internal)
        const meaning = MEANING[code >= EXIT.sighup ? EXIT.sighup : code]
        if (meaning) expect(words, `${file}: ${code} is "${words}"`).toMatch(meaning)
      }
    }
  })
})
