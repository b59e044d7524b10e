import type { FastifyReply } from 'fastify';

/** The namespace revision an answer reflects, on every read and write of entries. */
export const REVISION_HEADER = 'X-KV-Revision';

/** The header as OpenAPI response headers list it. */
export const REVISION_HEADER_DOC = {
  [REVISION_HEADER]: {
    description: "The namespace's revision this answer reflects",
    schema: { type: 'integer', format: 'int64', minimum: 0 },
  },
};

/** Sets the revision header on the reply. */
export function sendRevision(reply: FastifyReply, revision: number): void {
  void reply.header(REVISION_HEADER, String(revision));
}

/** An answer and the namespace revision it reflects. */
export interface AtRevision<T> {
  body: T;
  revision: number;
}
