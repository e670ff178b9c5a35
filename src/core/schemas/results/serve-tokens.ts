import {z} from 'zod'

import {serveTokenRecord} from '../serve-tokens.js'

/** What `token list` and `token revoke` show of a token: everything but its hash (and never the token). */
export const serveTokenView = serveTokenRecord.omit({sha256: true}).extend({
  state: z.enum(['active', 'expired', 'revoked']).describe('revoked wins over expired'),
})

export const serveTokenCreateResult = serveTokenRecord
  .omit({sha256: true, revokedAt: true})
  .extend({token: z.string().describe('the bearer token: shown this once, never stored (only its sha256 is)')})
  .meta({title: 'wicker serve token create --json result'})

export const serveTokenListResult = z.object({course: z.string(), tokens: z.array(serveTokenView)}).meta({title: 'wicker serve token list --json result'})

export const serveTokenRevokeResult = z
  .object({token: serveTokenView, alreadyRevoked: z.boolean().describe('true when it was revoked before: nothing changed')})
  .meta({title: 'wicker serve token revoke --json result'})
