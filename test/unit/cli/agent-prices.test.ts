import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadConfig} from '../../../src/core/config.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

const configWith = (agents: unknown) => {
  const dir = writeTree(tempDir(), {'wicker.config.json': {agents}})
  return {file: join(dir, 'wicker.config.json'), cwd: dir}
}

describe('agent prices in wicker.config.json (for launch\'s estimate)', () => {
  it('reads prices per agent kind', async () => {
    const {config} = await loadConfig(configWith({claude: {inputUsdPerMTok: 3, outputUsdPerMTok: 15, outputTokensPerLego: 450}, codex: {inputUsdPerMTok: 1.25, outputUsdPerMTok: 10}}))
    expect(config.agents?.claude).toEqual({inputUsdPerMTok: 3, outputUsdPerMTok: 15, outputTokensPerLego: 450})
    expect(config.agents?.codex?.outputTokensPerLego).toBeUndefined()
  })

  it.each([
    [{claude: {inputUsdPerMTok: -1, outputUsdPerMTok: 15}}, 'agents.claude.inputUsdPerMTok'],
    [{claude: {inputUsdPerMTok: 3}}, 'agents.claude.outputUsdPerMTok'],
    [{claude: {inputUsdPerMTok: 3, outputUsdPerMTok: 15, inputUsd: 2}}, 'agents.claude'],
    [{clade: {inputUsdPerMTok: 3, outputUsdPerMTok: 15}}, 'agents'],
  ])('refuses %j, naming the field (exit 2)', async (agents, field) => {
    const where = configWith(agents)
    const error = await loadConfig(where).then(() => null, (e: unknown) => e as {code: string; exitCode: number; message: string})
    expect(error).toMatchObject({code: 'E_CONFIG_INVALID', exitCode: 2})
    expect(error!.message).toContain(field)
  })
})
