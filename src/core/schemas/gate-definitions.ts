/** The four GATE definitions of DOMAIN.md §4. Kept apart from zod so flag definitions load fast. */
export const GATE_DEFINITIONS = ['cumulative', 'window', 'strict', 'seed'] as const
export type GateDefinition = (typeof GATE_DEFINITIONS)[number]
