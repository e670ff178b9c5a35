import {z} from 'zod'

/**
 * A worker's output as the worker prompt asks for it (templates/worker.md, its {{output_shape}}):
 * the course, the packet, and one basket of phrases for each LEGO of the packet, by LEGO id. With the
 * packet's LEGO ids it is exact: every LEGO has its basket and no other key is there, which is what
 * a structured-output request to a model wants (launch --agent openai-compatible sends it as JSON
 * Schema). What staging accepts is wider (every format of formats/containers): this is the one
 * shape wicker asks for.
 */
export const workerPhraseSchema = z.strictObject({
  known: z.string().min(1).describe('the phrase in the known language'),
  target: z.string().min(1).describe('the phrase in the target language'),
})

export const workerBasketSchema = z.strictObject({
  practice_phrases: z.array(workerPhraseSchema).min(1).describe('from simple to complex'),
})

export function workerOutputSchema(legoIds: readonly string[]) {
  return z.strictObject({
    course: z.string(),
    packet: z.string(),
    baskets: z.strictObject(Object.fromEntries(legoIds.map((id) => [id, workerBasketSchema]))).describe('one basket for each LEGO, by LEGO id'),
  })
}
