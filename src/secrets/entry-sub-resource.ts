/** Splits `a/b/rotate` into the key `a/b` and the sub-resource `rotate`; none for a plain key. */
export function splitSubResource(
  path: string,
  names: readonly string[],
): { key: string; sub?: string } {
  const slash = path.lastIndexOf('/');
  const last = path.slice(slash + 1);
  return slash > 0 && names.includes(last)
    ? { key: path.slice(0, slash), sub: last }
    : { key: path };
}
