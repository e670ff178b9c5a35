/**
 * `npm run lint:imports`: the import rules of DESIGN.md §2 over src/.
 *
 * dependency-cruiser checks the rules in .dependency-cruiser.cjs (cycles between files, no oclif in
 * core, no fs/execa in commands, execa only in proc). Two rules it cannot say itself are added here:
 * - no import cycle between the folders of src/core (its `collapse` summarises the graph but does
 *   not look for cycles again), and each folder imports only from the layers below its own
 *   (CORE_LAYERS), so the core reads bottom-up;
 * - no disk-writing function imported from node:fs outside src/core/store (it sees modules, not the
 *   names imported from them).
 * Prints one line per problem and exits 1 when there is any.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {cruise, type ICruiseResult} from 'dependency-cruiser'
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options'
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config'

export interface ImportProblem {
  rule: string
  message: string
}

/** The folder of src/core a module belongs to (a file directly in src/core is its own unit), or null. */
export function coreUnit(path: string): string | null {
  const match = /^src\/core\/([^/]+?)(?:\.ts)?(?:\/|$)/.exec(path)
  return match ? `src/core/${match[1]}` : null
}

/**
 * The units of src/core, bottom-up: a unit imports only from layers below its own, never from its
 * own layer or above. A new folder of src/core goes into the layer of what it needs.
 */
export const CORE_LAYERS: ReadonlyArray<readonly string[]> = [
  ['package-root'],
  ['errors', 'defined', 'json', 'json-bytes', 'ids', 'hash', 'text', 'strict-json', 'bug-report', 'progress', 'version'],
  ['schemas', 'proc'],
  ['store'],
  ['config', 'staging'],
  ['course'],
  ['formats', 'canon', 'gate', 'generate'],
  ['transaction'],
  ['open'],
  ['extract'],
  ['preview', 'detect', 'validate'],
  ['merge'],
  ['segments'],
  ['launch', 'init', 'collect'],
  ['report'],
  ['status', 'demo'],
  ['serve'],
  ['ci'],
]

/** Imports that go sideways or up the layers, and units no layer names. */
export function layerProblems(edges: ReadonlyArray<{from: string; to: string}>, layers: ReadonlyArray<readonly string[]> = CORE_LAYERS): ImportProblem[] {
  const layerOf = new Map<string, number>(layers.flatMap((names, i) => names.map((n) => [`src/core/${n}`, i] as const)))
  const problems: ImportProblem[] = []
  const unlisted = new Set<string>()
  for (const {from, to} of edges) {
    const a = coreUnit(from)
    const b = coreUnit(to)
    if (!a || !b || a === b) continue
    for (const unit of [a, b]) if (!layerOf.has(unit)) unlisted.add(unit)
    if (layerOf.has(a) && layerOf.has(b) && layerOf.get(b)! >= layerOf.get(a)!) problems.push({rule: 'core-layers', message: `${from} → ${to}: ${b} is not below ${a} (CORE_LAYERS in scripts/lint-imports.ts)`})
  }
  for (const unit of [...unlisted].sort()) problems.push({rule: 'core-layers', message: `${unit} is in no layer: add it to CORE_LAYERS in scripts/lint-imports.ts`})
  return problems
}

/**
 * Cycles between units (strongly connected components of more than one unit, by Tarjan's algorithm),
 * each with the imports that make it, so the message says which import to move.
 */
export function unitCycles(edges: ReadonlyArray<{from: string; to: string}>, unitOf: (path: string) => string | null = coreUnit): Array<{units: string[]; imports: string[]}> {
  const graph = new Map<string, Map<string, string[]>>()
  for (const {from, to} of edges) {
    const a = unitOf(from)
    const b = unitOf(to)
    if (!a || !b || a === b) continue
    if (!graph.has(b)) graph.set(b, new Map())
    const out = graph.get(a) ?? new Map<string, string[]>()
    graph.set(a, out)
    out.set(b, [...(out.get(b) ?? []), `${from} → ${to}`])
  }
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const found: string[][] = []
  const visit = (v: string): void => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    for (const w of graph.get(v)!.keys()) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) !== index.get(v)) return
    const component: string[] = []
    let w: string
    do {
      w = stack.pop()!
      component.push(w)
    } while (w !== v)
    if (component.length > 1) found.push(component.sort())
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v)
  return found.map((units) => ({units, imports: units.flatMap((a) => units.flatMap((b) => graph.get(a)!.get(b) ?? []))}))
}

/** node:fs functions that change the disk; `open` is left out (staging/read opens read-only). */
const WRITERS = new Set(['appendFile', 'chmod', 'chown', 'copyFile', 'cp', 'createWriteStream', 'link', 'lchown', 'mkdir', 'mkdtemp', 'rename', 'rm', 'rmdir', 'symlink', 'truncate', 'unlink', 'utimes', 'writeFile', 'writev', 'write'].flatMap((n) => [n, `${n}Sync`]))
const FS_IMPORT = /import\s+(type\s+)?(\*\s+as\s+\w+|\{([^}]*)\}|\w+)\s+from\s+['"](?:node:)?fs(?:\/promises)?['"]|import\(\s*['"](?:node:)?fs(?:\/promises)?['"]\s*\)/g

/** The disk-writing names a source text imports from node:fs (a namespace or dynamic import counts as all of them). */
export function fsWriters(source: string): string[] {
  const names: string[] = []
  for (const match of source.matchAll(FS_IMPORT)) {
    if (match[1]) continue
    if (match[3] === undefined) {
      names.push(match[0].replace(/\s+/g, ' '))
      continue
    }
    for (const part of match[3].split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!
      if (WRITERS.has(name)) names.push(name)
    }
  }
  return names
}

/** Who may write to the disk with node:fs: the store, and the builtin agent (a separate program wicker runs). */
const MAY_WRITE = /^src\/(core\/store|agent)\//

export async function lintImports(root: string): Promise<ImportProblem[]> {
  const options = await extractDepcruiseOptions(join(root, '.dependency-cruiser.cjs'))
  const tsConfig = extractTSConfig(join(root, 'tsconfig.json'))
  const result = (await cruise(['src'], {...options, baseDir: root, tsConfig: {fileName: join(root, 'tsconfig.json')}}, {}, {tsConfig})).output as ICruiseResult
  const problems: ImportProblem[] = []
  for (const v of result.summary.violations) {
    const path = v.cycle?.length ? [v.from, ...v.cycle.map((c) => c.name)].join(' → ') : `${v.from} → ${v.to}`
    problems.push({rule: v.rule.name, message: path})
  }
  const edges = result.modules.flatMap((m) => m.dependencies.map((d) => ({from: m.source, to: d.resolved})))
  problems.push(...layerProblems(edges))
  for (const cycle of unitCycles(edges)) problems.push({rule: 'no-core-folder-cycle', message: `${cycle.units.join(', ')} import each other:\n    ${cycle.imports.join('\n    ')}`})
  for (const m of result.modules) {
    if (!m.source.startsWith('src/') || MAY_WRITE.test(m.source)) continue
    const writers = fsWriters(readFileSync(join(root, m.source), 'utf8'))
    if (writers.length > 0) problems.push({rule: 'disk-writes-in-store', message: `${m.source} imports ${writers.join(', ')} from node:fs: write through src/core/store instead`})
  }
  return problems
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(fileURLToPath(import.meta.url), '..', '..')
  const problems = await lintImports(root)
  for (const p of problems) console.log(`${p.rule}: ${p.message}`)
  console.log(problems.length === 0 ? 'lint:imports: no problem found' : `lint:imports: ${problems.length} problem(s)`)
  process.exitCode = problems.length === 0 ? 0 : 1
}
