import type {TokenCreateResult, TokenListResult, TokenRevokeResult} from '../../core/serve/run-tokens.js'
import type {Ui} from '../ui.js'
import {table} from './table.js'

/** The token alone on stdout (so `$(wicker serve token create …)` captures it); what it is for, on stderr. */
export function renderTokenCreate(ui: Ui, r: TokenCreateResult): void {
  ui.out(r.token)
  ui.info(`token ${r.id} for course ${r.course}${r.run ? `, run ${r.run}` : ', any run'}, valid until ${r.expiresAt}. It is shown this once: wicker keeps only its hash.`)
}

export function renderTokenList(ui: Ui, r: TokenListResult): void {
  if (r.tokens.length === 0) {
    ui.out(`No serve tokens for ${r.course}.`)
    return
  }
  const rows = r.tokens.map((t) => [t.id, t.course, t.run ?? '(any)', t.createdAt, t.expiresAt, t.state])
  for (const line of table(['id', 'course', 'run', 'created', 'expires', 'state'], rows)) ui.out(line)
}

export function renderTokenRevoke(ui: Ui, r: TokenRevokeResult): void {
  ui.out(r.alreadyRevoked ? `Token ${r.token.id} was already revoked (at ${r.token.revokedAt}).` : `Revoked token ${r.token.id} (${r.token.course}${r.token.run ? `, run ${r.token.run}` : ''}).`)
}
