import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { API } from './entries';
import { NamespaceDto, bodyOf } from './bodies';

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

/** Creates a namespace of a fresh name and application (or as overridden); fails unless 201. */
export async function createNamespace(
  http: request.Agent,
  overrides: Record<string, unknown> = {},
): Promise<NamespaceDto> {
  const res = await http.post(`${API}/namespaces`).send(namespaceBody(overrides)).expect(201);
  return bodyOf<NamespaceDto>(res);
}
