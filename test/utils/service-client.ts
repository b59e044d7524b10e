import type { components } from '../../clients/typescript/src';
import { namespaceBody } from './factories';

export type Entry = components['schemas']['EntryDto'];
export type Problem = components['schemas']['ProblemDto'];
type BulkGetResult = components['schemas']['BulkGetResultDto'];
type Namespace = components['schemas']['NamespaceDto'];

const API = '/api/v1/kv';
const BULK_MAX = 1000;

/** An answer of the service, with how long it took; `body` is parsed JSON, or the text. */
export interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
  ms: number;
}

/** Plain HTTP to a service process, with a bearer token and a deadline per request. */
export class ServiceClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 60000,
  ) {}

  /** Resolves to the answer; rejects when none comes (connection refused or reset, deadline). */
  async send<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const started = Date.now();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    const json = /json/.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      headers: response.headers,
      body: (json && text ? JSON.parse(text) : text) as T,
      ms: Date.now() - started,
    };
  }

  /** Creates a namespace of a fresh application; resolves to its id. */
  async namespace(overrides: Record<string, unknown> = {}): Promise<string> {
    const reply = await this.send<Namespace>('POST', `${API}/namespaces`, namespaceBody(overrides));
    if (reply.status !== 201) {
      throw new Error(`namespace creation answered ${reply.status}`);
    }
    return reply.body.id;
  }

  /** The live entries of these keys, by key, read with bulk gets. */
  async entries(namespaceId: string, keys: string[]): Promise<Map<string, Entry>> {
    const found = new Map<string, Entry>();
    for (let start = 0; start < keys.length; start += BULK_MAX) {
      const reply = await this.send<BulkGetResult>('POST', `${API}/${namespaceId}/bulk/get`, {
        keys: keys.slice(start, start + BULK_MAX),
      });
      if (reply.status !== 200) {
        throw new Error(`bulk get answered ${reply.status}`);
      }
      reply.body.items.forEach((entry) => found.set(entry.keyPath, entry));
    }
    return found;
  }
}
