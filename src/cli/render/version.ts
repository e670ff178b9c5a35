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

export function renderVersion(ui: Ui, r: VersionResult): void {
  ui.out(`${r.cliVersion} ${r.architecture} ${r.nodeVersion}`)
  if (r.osVersion === undefined) return
  ui.out(`  OS:      ${r.osVersion}`)
  ui.out(`  Shell:   ${r.shell}`)
  ui.out(`  Root:    ${r.rootPath}`)
  ui.out(`  Plugins: ${r.pluginVersions?.length ? r.pluginVersions.join(', ') : 'none'}`)
}
