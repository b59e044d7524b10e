/** The ETag of an entry: its version, quoted. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * Whether an If-Match / If-None-Match header names this version: `*` names any existing
 * entry; otherwise a comma-separated list of entity tags (a weak W/ prefix is ignored, as
 * versions are the only validators). An unparsable tag matches nothing.
 */
export function tagsMatch(header: string, version: number | undefined): boolean {
  if (version === undefined) {
    return false;
  }
  return header.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '');
    return tag === '*' || tag === etagOf(version);
  });
}
