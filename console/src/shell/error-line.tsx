import { describeError } from '../api/problem.js';

/** An API failure, announced to screen readers as it appears. */
export function ErrorLine({ error }: { error: unknown }) {
  if (error === undefined) {
    return null;
  }
  return (
    <p class="error" role="alert">
      {describeError(error)}
    </p>
  );
}
