import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {realDisk} from '../../../src/core/store/disk.js'
import {tempDir} from '../../helpers/fs.js'

/** Disk.writeFile gathers text pieces into megabyte buffers: the file holds exactly the pieces joined, as UTF-8. */
describe('writing text in pieces', () => {
  it('gives the bytes of the joined text, across buffer edges, with multi-byte characters and pieces over a megabyte', async () => {
    const pieces = [
      ...Array.from({length: 70_000}, (_, i) => `{"n":${i},"t":"tuñe 中文 😀"},\n`),
      'x'.repeat(1_500_000),
      'é'.repeat(600_000),
      '',
      '末',
    ]
    const file = join(tempDir(), 'out.json')
    await realDisk.writeFile(file, pieces, {exclusive: true, durable: false})
    expect(readFileSync(file).equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true)
  })

  it('writes nothing for no pieces', async () => {
    const file = join(tempDir(), 'empty.json')
    await realDisk.writeFile(file, [], {exclusive: true, durable: false})
    expect(readFileSync(file).length).toBe(0)
  })
})
