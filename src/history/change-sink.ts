/** Where a stream of changes goes: Server-Sent Events on an HTTP response (see SseStream). */
export interface ChangeSink {
  /** Starts the stream (status and headers), at the namespace's revision. */
  open(revision: number): void;
  /** One event; `id` (a revision) is where a client that got it resumes from. */
  send(event: string, data: unknown, id?: number): void;
  /** Whether more waits for the client than a watcher may buffer. */
  readonly overflowed: boolean;
  /** Whether the client went away (or the stream was ended). */
  readonly closed: boolean;
  /** Resolves when the client goes away or the stream ends. */
  readonly whenClosed: Promise<void>;
  /** Ends the stream after what was sent. */
  end(): void;
}
