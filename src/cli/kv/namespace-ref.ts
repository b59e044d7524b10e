import type { Client } from 'openapi-fetch';
import type { paths } from '../../../clients/typescript/src';
import { CliError, unwrap } from './cli-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A namespace as the user names it: its id, or `<applicationId>:<name>`. */
export function splitNamespaceRef(ref: string): { applicationId: string; name: string } {
  // Names cannot hold ':' but application ids can: the last ':' separates them.
  const at = ref.lastIndexOf(':');
  if (at <= 0 || at === ref.length - 1) {
    throw new CliError(`name a namespace by its id or as <applicationId>:<name>, not ${ref}`);
  }
  return { applicationId: ref.slice(0, at), name: ref.slice(at + 1) };
}

/** The id of the namespace named by `ref`, looked up by name unless it is an id. */
export async function namespaceId(client: Client<paths>, ref: string): Promise<string> {
  if (UUID.test(ref)) {
    return ref.toLowerCase();
  }
  const query = splitNamespaceRef(ref);
  const found = unwrap(await client.GET('/api/v1/kv/namespaces/by-name', { params: { query } }));
  return found.id;
}
