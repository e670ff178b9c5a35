import type {AgentPrice} from '../schemas/config.js'

/**
 * What a launch is about to do, before any agent starts: packets, LEGOs, prompt tokens and, when
 * the agent's prices are in the config, the expected cost. Tokens are guessed as characters / 4
 * (the usual rule of thumb for English-like text); output as a fixed number of tokens per LEGO.
 */
export interface Estimate {
  packets: number
  legos: number
  promptChars: number
  promptTokens: number
  outputTokens: number | null
  /** null when the config has no prices for this agent */
  expectedUsd: number | null
}

/** A basket of ten short phrases with its JSON around it, as the built-in generator writes one. */
export const DEFAULT_OUTPUT_TOKENS_PER_LEGO = 400

export function estimateLaunch(todo: ReadonlyArray<{legos: number; promptChars: number}>, price: AgentPrice | null | undefined): Estimate {
  const legos = todo.reduce((sum, p) => sum + p.legos, 0)
  const promptChars = todo.reduce((sum, p) => sum + p.promptChars, 0)
  const promptTokens = Math.ceil(promptChars / 4)
  if (!price) return {packets: todo.length, legos, promptChars, promptTokens, outputTokens: null, expectedUsd: null}
  const outputTokens = Math.ceil(legos * (price.outputTokensPerLego ?? DEFAULT_OUTPUT_TOKENS_PER_LEGO))
  const expectedUsd = (promptTokens * price.inputUsdPerMTok + outputTokens * price.outputUsdPerMTok) / 1_000_000
  return {packets: todo.length, legos, promptChars, promptTokens, outputTokens, expectedUsd}
}

/** "12 packets, 240 LEGOs, ≈ 96k prompt tokens, ≈ $1.23 expected" */
export function describeEstimate(e: Estimate): string {
  const k = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n))
  const cost = e.expectedUsd === null ? 'cost unknown (no prices for this agent in the config)' : `≈ $${e.expectedUsd.toFixed(2)} expected`
  return `${e.packets} packet(s), ${e.legos} LEGO(s), ≈ ${k(e.promptTokens)} prompt tokens, ${cost}`
}

/**
 * A text's tokens, estimated without the model's tokenizer: Latin-script, ASCII and white space at
 * 4 characters a token (the rule of thumb above), every other character (Cyrillic, Greek, Arabic, Han,
 * kana, Hangul, Thai…) a token of its own, which tokenizers come close to for those scripts. It errs
 * high rather than low, so a guard on it (--max-context) refuses before the server would cut.
 */
export function estimateTokens(text: string): number {
  let quarter = 0
  let whole = 0
  for (const ch of text) {
    if (ch.codePointAt(0)! <= 0x24f || /[\s\p{Script=Latin}\p{Script=Common}]/u.test(ch)) quarter++
    else whole++
  }
  return Math.ceil(quarter / 4) + whole
}
