import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {provenanceName, stageCollected, stagedHashes} from '../../../src/core/collect/stage.js'
import {sha256Hex} from '../../../src/core/hash.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

const bytes = (text: string) => Buffer.from(text, 'utf8')

describe('collected files in staging', () => {
  it('knows content already consumed into .applied/, and does not take provenance records for basket files', async () => {
    const dir = writeTree(tempDir(), {'.applied/merge-1/old.json': '{"brom": 1}\n', 'live.json': '{"brom": 2}\n', [provenanceName('live.json')]: '{"path": "x"}\n'})
    const hashes = await stagedHashes(dir)
    expect([...hashes.values()].sort()).toEqual(['.applied/merge-1/old.json', 'live.json'])
    expect(hashes.get(sha256Hex('{"brom": 1}\n'))).toBe('.applied/merge-1/old.json')
  })

  it('never writes over a name another file holds: the second gets its hash in its name, with its own provenance', async () => {
    const dir = writeTree(tempDir(), {'out.json': '{"theirs": true}\n'})
    const text = '{"mine": true}\n'
    const name = await stageCollected(dir, 'deep/path/out.json', bytes(text), sha256Hex(text), {source: 'claude/a'})
    expect(name).toBe(`out.${sha256Hex(text).slice(0, 12)}.json`)
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('{"theirs": true}\n')
    expect(readFileSync(join(dir, name), 'utf8')).toBe(text)
    expect(JSON.parse(readFileSync(join(dir, provenanceName(name)), 'utf8'))).toEqual({source: 'claude/a', stagedAs: name})
    const other = '{"third": true}\n'
    writeTree(dir, {[`out.${sha256Hex(other).slice(0, 12)}.json`]: 'squatter\n'})
    await expect(stageCollected(dir, 'out.json', bytes(other), sha256Hex(other), {})).rejects.toMatchObject({code: 'E_COLLECT_NAME'})
    expect(readdirSync(dir).sort()).toEqual([`.${name}.provenance.json`, 'out.json', `out.${sha256Hex(other).slice(0, 12)}.json`, name].sort())
  })
})
