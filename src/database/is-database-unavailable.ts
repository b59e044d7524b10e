const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  // query_timeout: the server stopped answering (frozen, partitioned) or a wait outlasted it.
  'Query read timeout',
  'Connection terminated',
  'Client has encountered a connection error',
  'Connection is not established',
];

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The SQLSTATE of a driver error, or of the driver error a TypeORM error wraps. */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const driverError = (error as { driverError?: unknown }).driverError;
  return codeOf(typeof driverError === 'object' && driverError !== null ? driverError : error);
}

/** True when the error says PostgreSQL cannot be reached, so the caller should retry later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  const driverError = (error as { driverError?: unknown }).driverError;
  if (driverError instanceof Error && isDatabaseUnavailable(driverError)) {
    return true;
  }
  const code = codeOf(error);
  if (code !== undefined && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) {
    return true;
  }
  return UNAVAILABLE_MESSAGES.some((message) => error.message.includes(message));
}

/** True for PostgreSQL's data exceptions (class 22): input the database refused, not a fault. */
export function isDataException(error: unknown): boolean {
  return error instanceof Error && (sqlStateOf(error)?.startsWith('22') ?? false);
}

/** True for a unique violation of the named constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError = (error as { driverError?: { code?: unknown; constraint?: unknown } })
    ?.driverError;
  return driverError?.code === '23505' && driverError.constraint === constraint;
}

/**
 * True for a foreign key violation: a write that raced the deletion of the namespace it
 * belongs to (the only parent rows a request can lose midway).
 */
export function isForeignKeyViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23503';
}

/**
 * True when PostgreSQL gave up the statement for a concurrent one: a deadlock it broke, or a
 * serialization failure. Nothing was written; the same request can simply be sent again.
 */
export function isConcurrencyFailure(error: unknown): boolean {
  const code = sqlStateOf(error);
  return code === '40P01' || code === '40001';
}
