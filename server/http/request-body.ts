/** Reading a request's body: its media type, and its text within a size limit, from Node's request. */
import type { IncomingMessage } from 'node:http';

/** What readBody gives for a body over the limit. */
export const TOO_LARGE: unique symbol = Symbol('request body too large');
/** Like @hono/node-server: what is left of a refused body is read and dropped, up to here, then the connection is closed. */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 500;
const utf8 = new TextDecoder();

/**
 * The body as text, read once, or TOO_LARGE as soon as it is known to be over `max`: from a
 * Content-Length before anything is read (Node's parser holds a body to the length it
 * declares), else while it streams in, as hono/body-limit decides. Rejects if the client goes
 * away before the end.
 */
export function readBody(incoming: IncomingMessage, max: number): Promise<string | typeof TOO_LARGE> {
  const length = incoming.headers['content-length'];
  if (length !== undefined && incoming.headers['transfer-encoding'] === undefined && Number.parseInt(length, 10) > max) {
    return Promise.resolve(TOO_LARGE);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => incoming.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      done();
      incoming.pause();
      resolve(TOO_LARGE);
    };
    const onEnd = () => {
      done();
      // TextDecoder, as web Requests decode: a byte-order mark is dropped, bad bytes become U+FFFD.
      resolve(utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    };
    const onClose = () => {
      done();
      reject(new Error('The client closed the connection before the body was read.'));
    };
    incoming.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onClose);
  });
}

/** `application/json`, with or without parameters such as `charset=utf-8`: what the API takes as a request body. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  // The usual case first, without the allocations of the general one.
  return contentType === 'application/json' || contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Reads and drops what is left of a body the answer did not need, within bounds, so the connection can serve the next request. */
export function drain(incoming: IncomingMessage) {
  if (incoming.readableEnded || incoming.destroyed) return;
  let bytes = 0;
  const stop = () => {
    clearTimeout(timer);
    incoming.off('data', count).off('end', stop).off('error', stop);
  };
  const close = () => {
    stop();
    incoming.socket.destroySoon();
  };
  const count = (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > DRAIN_BYTES) close();
  };
  const timer = setTimeout(close, DRAIN_MS).unref();
  incoming.on('data', count).on('end', stop).on('error', stop).resume();
}
