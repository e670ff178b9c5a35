import {DockerfileParser} from 'dockerfile-ast'
import {describe, expect, it} from 'vitest'

import {CI_AGENTS, wickerVersion} from '../../../src/core/ci/agents.js'
import {k8sDockerfile} from '../../../src/core/ci/k8s.js'
import type {AgentKind} from '../../../src/core/launch/agents.js'
import {ownedText} from '../../../src/core/store/owned-file.js'

/** The written Dockerfile (owned header first, as on disk), parsed. */
function parsed(agent: AgentKind, image = 'registry.example.invalid/plonk/wicker:2') {
  const text = ownedText('written by a test', k8sDockerfile({agent, image, wickerVersion: wickerVersion()}))
  const file = DockerfileParser.parse(text)
  const instructions = file.getInstructions()
  const of = (keyword: string) => instructions.filter((i) => i.getKeyword() === keyword)
  return {text, file, instructions, of}
}

/** The words npm installs globally: every argument after `npm install -g` up to the next `&&`. */
function npmGlobals(run: string): string[] {
  const words = run.replaceAll(/\\\n/g, ' ').split(/\s+/)
  const at = words.findIndex((w, i) => w === 'npm' && words[i + 1] === 'install' && words[i + 2] === '-g')
  if (at < 0) return []
  const rest = words.slice(at + 3)
  return rest.slice(0, rest.includes('&&') ? rest.indexOf('&&') : rest.length).filter((w) => w !== '')
}

describe('the Dockerfile of the pods\' image', () => {
  it.each(['builtin', 'claude', 'codex', 'gemini'] as const)('for %s: one FROM node 24 (LTS), tini as ENTRYPOINT, exactly this wicker and the agent CLI, a non-root user', (agent) => {
    const {file, of} = parsed(agent)
    const froms = file.getFROMs()
    expect(froms).toHaveLength(1)
    expect(froms[0]!.getImageName()).toBe('node')
    expect(froms[0]!.getImageTag()).toMatch(/^24-/)

    const entrypoints = of('ENTRYPOINT')
    expect(entrypoints).toHaveLength(1)
    // exec form: tini itself is PID 1, not a shell
    expect(entrypoints[0]!.getArgumentsContent()).toBe('["tini", "--"]')
    expect(of('RUN').some((r) => /apt-get install[^&]*\btini\b/.test(r.getArgumentsContent() ?? ''))).toBe(true)
    for (const pkg of ['git', 'ca-certificates']) expect(of('RUN').some((r) => new RegExp(`apt-get install[^&]*\\b${pkg}\\b`).test(r.getArgumentsContent() ?? ''))).toBe(true)

    const installed = of('RUN').flatMap((r) => npmGlobals(r.getArgumentsContent() ?? ''))
    const {npmPackage} = CI_AGENTS[agent]
    expect(installed).toEqual([`wicker@${wickerVersion()}`, ...(npmPackage ? [npmPackage] : [])])

    const users = of('USER')
    expect(users.length).toBeGreaterThan(0)
    const last = users.at(-1)!.getArgumentsContent()!
    expect(last).not.toMatch(/^(root|0)(:|$)/)
    expect(last).toBe('node')
    // the last USER comes after every RUN: nothing after it runs as root
    const order = file.getInstructions().map((i) => i.getKeyword())
    expect(order.lastIndexOf('RUN')).toBeLessThan(order.lastIndexOf('USER'))
    expect(of('WORKDIR').at(-1)!.getArgumentsContent()).toBe('/course')
  })

  it('says how to build and push the image job.yaml names', () => {
    const {file} = parsed('claude', 'registry.example.invalid/team/wicker-claude:7')
    const comments = file.getComments().map((c) => c.getContent())
    expect(comments).toContain('docker build -t registry.example.invalid/team/wicker-claude:7 .')
    expect(comments).toContain('docker push registry.example.invalid/team/wicker-claude:7')
  })

  it('keeps the owned-file header a comment, not an instruction', () => {
    const {instructions, text} = parsed('builtin')
    expect(text.split('\n')[0]).toMatch(/^# written by a test sha256:[0-9a-f]{64}$/)
    expect(instructions[0]!.getKeyword()).toBe('FROM')
  })
})
