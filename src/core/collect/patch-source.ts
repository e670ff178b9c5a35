import {hostilePath, type FoundFile, type LeftFile, type SourceFiles} from './types.js'

/**
 * The files a patch adds (`git diff` or `git format-patch` output, one or several), read from its
 * text without applying it: a new file's hunk is all `+` lines. Modified, deleted, renamed and binary
 * files are reported, not collected; a symlink or a quoted (escaped) name is refused.
 */
export function patchFiles(patch: string, text: string, matches: (path: string) => boolean): SourceFiles {
  const found: FoundFile[] = []
  const left: LeftFile[] = []
  const lines = text.split('\n')
  let i = 0
  while (i < lines.length) {
    if (!lines[i]!.startsWith('diff --git ')) {
      i++
      continue
    }
    const header = lines[i]!.slice('diff --git '.length)
    i++
    const meta: string[] = []
    while (i < lines.length && !lines[i]!.startsWith('@@') && !lines[i]!.startsWith('diff --git ')) meta.push(lines[i++]!)
    const plus = meta.find((l) => l.startsWith('+++ '))
    const path = plus && plus !== '+++ /dev/null' ? stripPrefix(plus.slice(4)) : pathOfHeader(header)
    if (!matches(path.startsWith('"') ? path.slice(1, -1) : path)) continue
    const added = meta.find((l) => l.startsWith('new file mode '))
    const why = path.startsWith('"') ? 'a quoted name (git escaped it: special characters): refused' : hostilePath(path)
    if (why) left.push({path, action: 'refused', reason: why})
    else if (meta.some((l) => l.startsWith('Binary files ') || l === 'GIT binary patch')) left.push({path, action: 'ignored', reason: 'a binary file: not collected'})
    else if (!added) left.push({path, action: 'ignored', reason: meta.some((l) => l.startsWith('deleted file mode ')) ? 'deleted by the patch: not collected' : 'modified (or renamed) by the patch, not added: not collected'})
    else if (added.endsWith('120000')) left.push({path, action: 'refused', reason: 'a symbolic link: refused, it could point outside staging'})
    else {
      const body: string[] = []
      let finalNewline = true
      while (i < lines.length && lines[i]!.startsWith('@@')) {
        const count = /^@@ -0,0 \+1(?:,(\d+))? @@/.exec(lines[i]!)
        i++
        let n = count ? Number(count[1] ?? 1) : 0
        while (n > 0 && i < lines.length && lines[i]!.startsWith('+')) {
          body.push(lines[i++]!.slice(1))
          n--
        }
        if (lines[i]?.startsWith('\\ ')) {
          finalNewline = false
          i++
        }
      }
      found.push({path, bytes: Buffer.from(body.join('\n') + (finalNewline && body.length > 0 ? '\n' : ''), 'utf8')})
    }
  }
  return {ref: {kind: 'patch', source: patch, commit: null}, found, left}
}

/** b/path → path (git's default prefixes; --no-prefix output has none). */
function stripPrefix(name: string): string {
  const clean = name.replace(/\t.*$/, '')
  return clean.startsWith('b/') ? clean.slice(2) : clean
}

/** "a/P b/P" → P, for a file with no ---/+++ lines (an empty new file). */
function pathOfHeader(header: string): string {
  const half = (header.length - 1) / 2
  return stripPrefix(header.slice(half + 1))
}
