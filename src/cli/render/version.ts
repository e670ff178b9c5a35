import {release, type} from 'node:os'

import type {Config} from '@oclif/core'

import type {Ui} from '../ui.js'

export interface VersionResult {
  /** `wicker/0.1.0`, as in the --version line */
  cliVersion: string
  version: string
  architecture: string
  nodeVersion: string
  osVersion?: string
  shell?: string
  rootPath?: string
  pluginVersions?: string[]
}

/** What `wicker version` (and `wicker --json --version`) reports; --verbose adds the rest. */
export function versionResult(c: Config, verbose: boolean): VersionResult {
  return {
    cliVersion: `${c.bin}/${c.version}`,
    version: c.version,
    architecture: `${c.platform}-${c.arch}`,
    nodeVersion: `node-${process.version}`,
    ...(verbose && {
      osVersion: `${type()} ${release()}`,
      shell: c.shell,
      rootPath: c.root,
      pluginVersions: c.getPluginsList().filter((p) => p.name !== c.name).map((p) => `${p.name} ${p.version} (${p.type})`),
    }),
  }
}

export function renderVersion(ui: Ui, r: VersionResult): void {
  ui.out(`${r.cliVersion} ${r.architecture} ${r.nodeVersion}`)
  if (r.osVersion === undefined) return
  ui.out(`  OS:      ${r.osVersion}`)
  ui.out(`  Shell:   ${r.shell}`)
  ui.out(`  Root:    ${r.rootPath}`)
  ui.out(`  Plugins: ${r.pluginVersions?.length ? r.pluginVersions.join(', ') : 'none'}`)
}
