import {spawn} from 'node:child_process'

import {BIN} from './lib.js'

/** The one way tests and bench/serve.ts start a server: `wicker serve DIR --port 0 --json` from the built bin, and the port it printed on stderr */
export async function startServer(dir: string, extra: string[] = []) {
  const child = spawn(process.execPath, [BIN, 'serve', dir, '--port', '0', '--json', ...extra], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1'}})
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  const listening = await new Promise<{url: string; port: number}>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
      const line = stderr.split('\n').find((l) => l.startsWith('{"type":"listening"'))
      if (line) resolve(JSON.parse(line))
    })
    child.once('exit', (code) => reject(new Error(`wicker serve exited ${code}: ${stderr}`)))
  })
  const exited = new Promise<{code: number | null; stdout: string; stderr: string}>((resolve) => child.once('exit', (code) => resolve({code, stdout, stderr})))
  return {child, listening, exited}
}
