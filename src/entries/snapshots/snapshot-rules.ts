/** Snapshot names: as namespace names, so they read the same in URLs, logs and the CLI. */
export const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The most keys one restore compares and writes: it is one transaction, held in memory. */
export const MAX_RESTORE_KEYS = 10_000;
