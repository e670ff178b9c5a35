import {join} from 'node:path'

/** Everything wicker keeps about a course lives in <course>/.wicker/ (DESIGN.md §4). */
export function wickerPaths(courseDir: string) {
  const root = join(courseDir, '.wicker')
  return {
    root,
    state: join(root, 'state.json'),
    journal: join(root, 'journal.ndjson'),
    backups: join(root, 'backups'),
    plans: join(root, 'plans'),
    runs: join(root, 'runs'),
    lock: join(root, 'lock'),
    extract: join(root, 'extract.json'),
    /** which canon bytes wicker wrote, and their baskets without a usable phrase (a cache) */
    canonIndex: join(root, 'canon-index.json'),
    /** copies of staging files extract could not use, each with a reason (staging itself is never touched) */
    quarantine: join(root, 'quarantine'),
  }
}

export type WickerPaths = ReturnType<typeof wickerPaths>

export const STAGING_DIRS = ['phase5_baskets_staging', 'phase3_baskets_staging'] as const
