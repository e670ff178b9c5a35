import type {OwnedFileResult} from '../store/owned-file.js'

/**
 * What every `wicker ci` command returns, at least: the files it wrote as files the user owns
 * (created, updated, unchanged or replaced, with the backup a replace kept) and what the user does
 * next, in order. cli/render/ci.ts prints it; schemas/results/ci.ts describes it (ciFiles).
 */
export interface CiFilesResult {
  files: OwnedFileResult[]
  next: string[]
}
