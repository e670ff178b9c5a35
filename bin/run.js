#!/usr/bin/env node
// Node >= 22.1 caches compiled modules; on Node 20 the call is absent and skipped.
import module from 'node:module'
module.enableCompileCache?.()

const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})
