import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {ownedText, writeOwnedFile} from '../../../src/core/store/owned-file.js'
import {tempDir} from '../../helpers/fs.js'

describe('an owned file replaced twice within one second', () => {
  it('keeps both earlier versions, each in its own .bak, instead of failing on the first one\'s name', async () => {
    const dir = tempDir('wicker-owned-')
    const file = join(dir, 'job.yaml')
    const now = new Date('2026-12-02T10:00:00.250Z')
    const texts = ['kind: one\n', 'kind: two\n', 'kind: three\n'].map((body) => ownedText('written by a test', body))
    expect((await writeOwnedFile(file, texts[0]!, {command: 'wicker ci k8s', now})).action).toBe('created')
    const second = await writeOwnedFile(file, texts[1]!, {command: 'wicker ci k8s', now})
    const third = await writeOwnedFile(file, texts[2]!, {command: 'wicker ci k8s', now: new Date('2026-12-02T10:00:00.900Z')})
    expect([second.action, third.action]).toEqual(['updated', 'updated'])
    expect(second.backup).not.toBe(third.backup)
    expect(readFileSync(second.backup!, 'utf8')).toBe(texts[0])
    expect(readFileSync(third.backup!, 'utf8')).toBe(texts[1])
    expect(readFileSync(file, 'utf8')).toBe(texts[2])
    expect(readdirSync(dir).sort()).toEqual(['job.yaml', 'job.yaml.20261202T100000Z-2.bak', 'job.yaml.20261202T100000Z.bak'])
  })
})
