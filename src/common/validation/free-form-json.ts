import 'reflect-metadata';

const FREE_FORM_FIELDS = 'kv:free-form-json';

/**
 * Marks a property that holds arbitrary JSON to keep exactly as sent (an entry's value, its
 * metadata). class-transformer copies such JSON key by key, dropping keys named like Object's
 * methods (valueOf, toString) and throwing on an own `constructor`; Nest's validation pipe
 * deletes `constructor` and `prototype` keys. A free-form property is validated by its outline
 * only (its JSON type, and its items' types for an array) and then given back untouched.
 */
export function FreeFormJson(): PropertyDecorator {
  return (target, property) => {
    const type = target.constructor;
    const inherited = (Reflect.getMetadata(FREE_FORM_FIELDS, type) as string[] | undefined) ?? [];
    Reflect.defineMetadata(FREE_FORM_FIELDS, [...inherited, String(property)], type);
  };
}

function freeFormFields(type: unknown): string[] {
  return typeof type === 'function'
    ? ((Reflect.getMetadata(FREE_FORM_FIELDS, type) as string[] | undefined) ?? [])
    : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function outline(value: unknown, itemLevel = false): unknown {
  if (Array.isArray(value)) {
    return itemLevel ? [] : value.map((item) => outline(item, true));
  }
  return isRecord(value) ? {} : value;
}

/** A shallow copy of the body whose free-form properties are reduced to their outlines. */
export function outlineFreeForm(type: unknown, body: unknown): unknown {
  const fields = freeFormFields(type);
  if (fields.length === 0 || !isRecord(body)) {
    return body;
  }
  const copy = { ...body };
  for (const field of fields) {
    if (Object.hasOwn(body, field)) {
      copy[field] = outline(body[field]);
    }
  }
  return copy;
}

/** Puts the body's free-form properties, as sent, on what was made of its outlined copy. */
export function restoreFreeForm<T>(type: unknown, body: unknown, result: T): T {
  if (!isRecord(body) || !isRecord(result)) {
    return result;
  }
  const target: Record<string, unknown> = result;
  for (const field of freeFormFields(type)) {
    if (Object.hasOwn(body, field)) {
      target[field] = body[field];
    }
  }
  return result;
}
