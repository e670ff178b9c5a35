import {Writable} from 'node:stream'

/** A writable stream that keeps what it was given, for a Ui's stdout or stderr. */
export function sink() {
  let text = ''
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString()
      done()
    },
  })
  return {stream, text: () => text}
}
