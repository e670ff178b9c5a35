import {resolve} from 'node:path'

import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import {sha256Hex} from '../hash.js'
import {readBytes} from '../store/read-json.js'
import {jsonText, writeFileAtomic} from '../store/atomic-write.js'
import type {MissingManifest} from '../schemas/manifest.js'
import {detect, type DetectResult} from './detect.js'
import type {OnProgress} from '../progress.js'

export interface RunDetectOptions extends OpenCourseOptions {
  /** write the missing list as a manifest here */
  out?: string | null
  onProgress?: OnProgress
}

export interface RunDetectResult extends DetectResult {
  /** where the manifest was written, or null */
  manifest: string | null
}

export async function runDetect(options: RunDetectOptions): Promise<{result: RunDetectResult; warnings: string[]}> {
  options.onProgress?.('loading the course')
  // canon's hash goes only into the manifest of --out
  const {course, canon, warnings} = await openCourse({...options, readOnly: 'usable', hashCanon: Boolean(options.out), requireLegos: true})
  options.onProgress?.('detecting')
  const result = detect(course, canon)
  let manifest: string | null = null
  if (options.out) {
    manifest = resolve(options.cwd, options.out)
    const doc: MissingManifest = {
      kind: 'wicker/missing-manifest',
      version: 1,
      course: course.code,
      createdAt: new Date().toISOString(),
      legoPairsSha256: sha256Hex(await readBytes(course.files.legoPairs)),
      canonSha256: canon.sha256,
      missing: result.missing,
    }
    await writeFileAtomic(manifest, jsonText(doc))
  }
  for (const finding of canon.findings) if (finding.kind === 'stale-metadata' || finding.kind === 'bad-basket') warnings.push(`canon: ${finding.message}`)
  return {result: {...result, manifest}, warnings}
}
