/** Namespace names: unique within their application, byte-ordered in lists. */
export const NAMESPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Application ids as tokens and the gateway carry them; `*` is reserved for "all". */
export const APPLICATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const MAX_DESCRIPTION_LENGTH = 1024;

/** Largest TTL PostgreSQL's integer column holds: about 68 years. */
export const MAX_TTL_SECONDS = 2_147_483_647;
/** The most versions of a key a namespace can be told to keep (beyond: keep them all, null). */
export const MAX_KEPT_VERSIONS = 1_000_000;
/** A hundred years: longer is forever in practice, and keeps the cut-off a valid timestamp. */
export const MAX_HISTORY_RETENTION_DAYS = 36_500;
