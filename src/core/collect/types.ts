/** What a collector found: a file to bring into staging, or one reported and left where it is. */
export interface SourceRef {
  kind: 'git' | 'patch' | 'dir'
  /** the ref as given or matched (git), the patch file, or the folder */
  source: string
  /** the commit the ref named (git); null for a patch or a folder */
  commit: string | null
}

export interface FoundFile {
  /** the file's path in the source: repository path, patch path, or path below the folder */
  path: string
  bytes: Uint8Array
}

/** reported and not collected: `refused` is a finding (a hostile name, a symlink), `ignored` is not (a modified or binary file in a patch) */
export interface LeftFile {
  path: string
  action: 'refused' | 'ignored'
  reason: string
}

export interface SourceFiles {
  ref: SourceRef
  found: FoundFile[]
  left: LeftFile[]
  /** the repository (git), for the provenance record */
  repo?: string
}

const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * Why a relative path from a source is refused, or null: what could not be a staging file's name or
 * could lead out of a folder (absolute, `..`, empty or dot segments, control characters, backslashes).
 */
export function hostilePath(path: string): string | null {
  if (path.startsWith('/')) return 'an absolute path: refused'
  if (CONTROL.test(path)) return 'a control character in the name: refused'
  if (path.includes('\\')) return 'a backslash in the name: refused'
  const segments = path.split('/')
  if (segments.some((s) => s === '..' || s === '.' || s === '')) return 'an empty, "." or ".." segment in the path: refused, it could lead outside the folder'
  return null
}
