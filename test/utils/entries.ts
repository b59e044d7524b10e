import type request from 'supertest';
import type { TestApp } from './create-test-app';

/** The base path of the API. */
export const API = '/api/v1/kv';

/** The path of an entry; the key as given (encode it first to test an encoded path). */
export function entryUrl(namespaceId: string, key: string): string {
  return `${API}/${namespaceId}/entries/${key}`;
}

/** Writes an entry (PUT) with the agent given; the body as given, valid or not. */
export function putEntry(
  http: request.Agent,
  namespaceId: string,
  key: string,
  body: Record<string, unknown>,
): request.Test {
  return http.put(entryUrl(namespaceId, key)).send(body);
}

/** Reads an entry (GET) with the agent given. */
export function getEntry(http: request.Agent, namespaceId: string, key: string): request.Test {
  return http.get(entryUrl(namespaceId, key));
}

/** Who sends an entry request, and in which namespace, when not the defaults. */
export interface EntryRequestOptions {
  /** The agent; the admin agent of the test app by default. */
  http?: request.Agent;
  /** The namespace; the spec's current one by default. */
  namespaceId?: string;
}

export interface EntryRequests {
  url(key: string, namespaceId?: string): string;
  put(key: string, body: Record<string, unknown>, options?: EntryRequestOptions): request.Test;
  get(key: string, options?: EntryRequestOptions): request.Test;
}

/**
 * Entry requests bound to a spec's test app and current namespace (both read at each call,
 * since specs assign them in beforeAll/beforeEach).
 */
export function entryRequests(app: () => TestApp, namespaceId: () => string): EntryRequests {
  return {
    url: (key, namespace = namespaceId()) => entryUrl(namespace, key),
    put: (key, body, { http = app().http(), namespaceId: namespace = namespaceId() } = {}) =>
      putEntry(http, namespace, key, body),
    get: (key, { http = app().http(), namespaceId: namespace = namespaceId() } = {}) =>
      getEntry(http, namespace, key),
  };
}
