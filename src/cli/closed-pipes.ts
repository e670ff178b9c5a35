/**
 * wicker's own stdout and stderr may be pipes whose reader goes away (`wicker launch … | head -1`,
 * a log collector that dies). Node then emits EPIPE as an 'error' event on the stream, and an
 * unhandled 'error' event kills the process mid-run: agents orphaned, the run's lock left behind.
 * Output is only a report of the work; losing the reader must not stop the work. So: a stream whose
 * reader is gone is marked closed, nothing more is written to it, and the command carries on to the
 * exit code its work earned.
 */
const closed = new WeakSet<NodeJS.WritableStream>()
let installed = false

export function surviveClosedPipes(streams: NodeJS.WritableStream[] = [process.stdout, process.stderr]): void {
  if (installed) return
  installed = true
  for (const stream of streams) {
    // Every error here means the same thing (EPIPE, ECONNRESET, EIO of a vanished terminal,
    // ERR_STREAM_DESTROYED for writes after the first): the reader is gone.
    stream.on('error', () => closed.add(stream))
  }
}

/** False once the stream's reader is gone: callers skip the write (and the work of formatting it). */
export function canWrite(stream: NodeJS.WritableStream): boolean {
  return !closed.has(stream) && !(stream as NodeJS.WritableStream & {destroyed?: boolean}).destroyed
}

/** Writes unless the reader is gone; never throws for a closed pipe. */
export function writeTo(stream: NodeJS.WritableStream, text: string): void {
  if (!canWrite(stream)) return
  try {
    stream.write(text)
  } catch {
    closed.add(stream)
  }
}
