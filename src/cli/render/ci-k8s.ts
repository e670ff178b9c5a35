import type {CiK8sResult} from '../../core/ci/run-k8s.js'
import type {Ui} from '../ui.js'

/** Same shape as renderCiFiles (render/ci.ts): each file and what was done to it, then the next steps. */
export function renderCiK8s(ui: Ui, r: CiK8sResult): void {
  const c = ui.chalk
  for (const f of r.files) {
    const action = f.action === 'unchanged' ? c.dim(f.action) : f.action === 'replaced' ? c.yellow(f.action) : c.green(f.action)
    ui.out(`${action} ${f.file}${f.backup ? c.dim(` (what was there is kept as ${f.backup})`) : ''}`)
  }
  ui.out(`Job ${r.job}${r.namespace ? ` in namespace ${r.namespace}` : ''}: run ${r.run} in ${r.shards} shard(s), ${r.parallelism} pod(s) at once, agent ${r.agent}, image ${r.image}.`)
  if (r.next.length === 0) return
  ui.info('Next:')
  r.next.forEach((step, i) => ui.info(`  ${i + 1}. ${step}`))
}
