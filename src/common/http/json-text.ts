import type { FastifyReply } from 'fastify';

const texts = new WeakMap<object, string>();

/**
 * The JSON of a response object, serialized once per object: responses served from the read
 * cache are the same objects each time, and nothing changes them once made. Pages and bulk
 * reads are tens of kilobytes, and their serialization was a tenth of their cost.
 */
export function jsonOf(body: object): string {
  let text = texts.get(body);
  if (text === undefined) {
    text = JSON.stringify(body);
    texts.set(body, text);
  }
  return text;
}

/** Sends JSON text as the response body as it is, with the type Fastify gives JSON. */
export function sendJsonText(reply: FastifyReply, text: string): string {
  void reply.type('application/json; charset=utf-8');
  return text;
}
