import { ApiError, describeError } from '../api/problem.js';

/** An API failure, announced to screen readers as it appears, with the items it names. */
export function ErrorLine({ error }: { error: unknown }) {
  if (error === undefined) {
    return null;
  }
  const items = error instanceof ApiError ? error.errors : [];
  return (
    <div class="error" role="alert">
      <p>{describeError(error)}</p>
      {items.length > 0 && (
        <ul>
          {items.map((item, index) => (
            <li key={index}>
              {item.key ?? item.field}
              {item.index === undefined ? '' : ` (item ${item.index})`}: {item.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
