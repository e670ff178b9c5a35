import {z} from 'zod'

/** What `wicker serve --json` prints once stopped (its status 130/143/129: the signal that stopped it). */
export const serveResult = z
  .object({
    url: z.string().describe('where it listened, e.g. http://127.0.0.1:4750 (the real port when --port 0)'),
    courses: z.array(z.string()).describe('the course codes it served'),
  })
  .meta({title: 'wicker serve --json result'})
