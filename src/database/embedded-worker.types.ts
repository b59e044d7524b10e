/** What the embedded database's thread is started with. */
export interface EmbeddedWorkerData {
  pgDataDir: string;
}

/** What the embedded database's thread reports. */
export type EmbeddedWorkerMessage =
  | { type: 'started'; host: string; port: number }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };
