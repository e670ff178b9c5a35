import {readdirSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

/** Every command's flags, loaded from the command classes themselves (src/commands/*.ts). */
async function allFlags(): Promise<Array<{command: string; name: string; flag: any}>> {
  const dir = fileURLToPath(new URL('../../../src/commands/', import.meta.url))
  const out: Array<{command: string; name: string; flag: any}> = []
  // topic commands too (ci/github.ts, serve/token/create.ts)
  for (const file of readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter((f) => f.endsWith('.ts'))) {
    const cls = (await import(`${dir}${file}`)).default
    for (const [name, flag] of Object.entries({...cls.baseFlags, ...cls.flags})) out.push({command: file.replace(/\.ts$/, ''), name, flag})
  }
  return out
}

/** An integer flag: its parser turns "5" into the number 5. */
async function isInteger(flag: any): Promise<boolean> {
  if (flag.type !== 'option' || typeof flag.parse !== 'function') return false
  try {
    return (await flag.parse('5', {}, flag)) === 5
  } catch {
    return false
  }
}

describe('every integer flag of every command is bounded', () => {
  it('has a min and a max, names the range in its help, and refuses values past either end', async () => {
    const flags = await allFlags()
    const integers = []
    for (const f of flags) if (await isInteger(f.flag)) integers.push(f)
    // launch --concurrency/--retries, preview --max-diffs, prepare-segments' counts, validate's windows, the staging sizes…
    expect(integers.length).toBeGreaterThanOrEqual(15)
    for (const {command, name, flag} of integers) {
      const where = `${command} --${name}`
      expect(Number.isSafeInteger(flag.min), where).toBe(true)
      expect(Number.isSafeInteger(flag.max), where).toBe(true)
      expect(flag.description, where).toContain(`(${flag.min} to ${flag.max})`)
      await expect(flag.parse('99999999999999999999', {}, flag), where).rejects.toThrow(`is out of range: give an integer from ${flag.min} to ${flag.max}`)
      await expect(flag.parse(String(flag.max + 1), {}, flag), where).rejects.toThrow(/out of range/)
      await expect(flag.parse(String(flag.min - 1), {}, flag), where).rejects.toThrow(/out of range/)
      await expect(flag.parse('1.5', {}, flag), where).rejects.toThrow(/not an integer/)
      expect(await flag.parse(String(flag.max), {}, flag), where).toBe(flag.max)
      expect(await flag.parse(String(flag.min), {}, flag), where).toBe(flag.min)
    }
  })

  it('launch --concurrency takes 1 to 256', async () => {
    const launch = (await allFlags()).find((f) => f.command === 'launch' && f.name === 'concurrency')!
    expect([launch.flag.min, launch.flag.max]).toEqual([1, 256])
  })
})
