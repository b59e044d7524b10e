import { SingleBar } from 'cli-progress';

/** Below this many keys a transfer is over before a bar would tell anything. */
export const PROGRESS_MIN_KEYS = 1000;

/** A progress bar, or nothing: the same calls either way. */
export interface Progress {
  /** Moves the bar to `value` of its total. */
  update(value: number): void;
  /** Ends the bar, leaving its last state on the terminal. */
  stop(): void;
}

/** No bar. */
export const SILENT: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A bar on standard error, only when it is a terminal (as curl's: `kv export > .env` on a
 * terminal shows it); with standard error piped or redirected, nothing.
 */
export function progress(label: string, total: number, unit: string): Progress {
  if (!process.stderr.isTTY || total <= 0) {
    return SILENT;
  }
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
  });
  bar.start(total, 0);
  return {
    update: (value) => bar.update(Math.min(value, total)),
    stop: () => bar.stop(),
  };
}
