/** A failure the CLI reports as one line on stderr, exiting with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

interface Problem {
  status?: number;
  code?: string;
  detail?: string;
  errors?: { index?: number; key?: string; field?: string; message?: string }[];
}

/** The one line of a problem+json answer: its code and status first, then what it says. */
export function problemLine(problem: unknown, status: number): string {
  const body = (typeof problem === 'object' && problem !== null ? problem : {}) as Problem;
  const items = (body.errors ?? []).slice(0, 5).map((error) => {
    const where = [error.index === undefined ? undefined : `#${error.index}`, error.key]
      .filter(Boolean)
      .join(' ');
    return `${where ? `${where} ` : ''}${error.field ?? ''} ${error.message ?? ''}`.trim();
  });
  const more = (body.errors?.length ?? 0) > items.length ? '; …' : '';
  const detail = body.detail ?? (typeof problem === 'string' ? problem : 'no detail');
  return `${body.code ?? 'HTTP_ERROR'} (${body.status ?? status}): ${detail}${
    items.length > 0 ? ` [${items.join('; ')}${more}]` : ''
  }`;
}

/** The data of a client call, or a CliError of its problem. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new CliError(problemLine(result.error, result.response.status));
  }
  return result.data as T;
}
