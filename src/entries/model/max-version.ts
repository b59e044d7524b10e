/** Largest version PostgreSQL's integer column holds. */
export const MAX_VERSION = 2_147_483_647;
