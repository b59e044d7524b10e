/** The namespace revision an answer reflects (X-KV-Revision), when it names one. */
export function revisionOf(response: Response): number | undefined {
  const header = response.headers.get('X-KV-Revision');
  const revision = header === null ? Number.NaN : Number(header);
  return Number.isSafeInteger(revision) && revision >= 0 ? revision : undefined;
}
