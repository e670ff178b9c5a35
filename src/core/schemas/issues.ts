import type {z} from 'zod'

/** A JSON path as people read it: `gate.windowSeeds`, `packets[3].id`, `(root)`. */
export function issuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)'
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[')
}

/** zod issues as readable lines: `gate.windowSeeds: expected int, received string`. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issuePath(issue.path)}: ${issue.message}`)
}
