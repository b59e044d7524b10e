// dotenv reads a double-quoted value with `\n` and `\r` turned into line breaks and nothing
// else unescaped; single-quoted and backquoted values as written, over several lines too; an
// unquoted value up to `#` or the end of the line, trimmed. It turns every CR LF or lone CR of
// the file into LF, so a CR survives only as `\r` inside double quotes.

const UNQUOTED = /^[^\s#'"`](?:[^#\r\n]*[^\s#])?$/;

/**
 * The value as dotenv reads it back exactly, quoted as needed; undefined for the rare value
 * no quoting carries (a CR together with `"` or `\`, or a trailing `\` with both other quotes).
 */
export function dotenvValue(value: string): string | undefined {
  if (value === '') {
    return "''";
  }
  if (UNQUOTED.test(value)) {
    return value;
  }
  // A closing quote right after `\` would read as an escaped quote.
  const trailingBackslash = value.endsWith('\\');
  if (!value.includes('\r') && !trailingBackslash) {
    for (const quote of ["'", '`']) {
      if (!value.includes(quote)) {
        return `${quote}${value}${quote}`;
      }
    }
  }
  if (!value.includes('"') && !value.includes('\\')) {
    return `"${value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
  }
  return undefined;
}

/** One `NAME=value` line per variable, in the order given, each ending in LF. */
export function dotenvText(variables: ReadonlyArray<readonly [string, string]>): string {
  return variables.map(([name, value]) => `${name}=${dotenvValue(value)}\n`).join('');
}
