import type { FieldError } from '../errors/kv.exception';

/** Deepest nesting of arrays and objects a request body may have, the body itself included. */
export const MAX_JSON_DEPTH = 64;

/**
 * What makes a parsed JSON body unusable, or undefined: nesting deeper than MAX_JSON_DEPTH
 * (class-transformer, JSON.stringify and the reply's serializer recurse, and overflow the
 * stack on a few thousand levels that fit easily in a body), or a number beyond the range of
 * a double (JSON.parse makes 1e400 Infinity, which JSON.stringify would store as null).
 * Iterative, so that no body can overflow it. The field named is the top-level property.
 */
export function jsonShapeProblem(body: unknown): FieldError | undefined {
  const pending: { node: unknown; depth: number; field: string }[] = [
    { node: body, depth: 0, field: 'body' },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, depth, field } = next;
    if (typeof node === 'number' && !Number.isFinite(node)) {
      return { field, message: 'must not hold a number beyond the range of a double' };
    }
    if (typeof node === 'object' && node !== null) {
      if (depth === MAX_JSON_DEPTH) {
        return {
          field,
          message: `must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep`,
        };
      }
      const items = Array.isArray(node) ? (node as unknown[]) : undefined;
      const names = items ? undefined : Object.keys(node);
      const count = items ? items.length : names!.length;
      for (let i = 0; i < count; i += 1) {
        const child = items ? items[i] : (node as Record<string, unknown>)[names![i]];
        // Only objects and numbers can be wrong: strings and the rest are not queued.
        if (typeof child === 'object' || typeof child === 'number') {
          const name = depth === 0 && names ? names[i] : field;
          pending.push({ node: child, depth: depth + 1, field: name });
        }
      }
    }
  }
  return undefined;
}
