import {afterAll} from 'vitest'

import {removeTempDirs} from '../helpers/fs.js'

// A setup file runs for every test file, also where test files share one module graph (the unit
// project, isolate: false, vitest.config.ts): a hook at the top of test/helpers/fs.ts would run for
// the first file of each worker only.
afterAll(removeTempDirs)
