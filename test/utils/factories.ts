import { randomUUID } from 'node:crypto';

/** An application id no other test uses, so every test owns the namespaces it lists. */
export function uniqueApplicationId(): string {
  return `app-${randomUUID().slice(0, 8)}`;
}

export function namespaceBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `ns-${randomUUID().slice(0, 8)}`,
    applicationId: uniqueApplicationId(),
    ...overrides,
  };
}
