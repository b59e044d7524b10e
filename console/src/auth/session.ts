import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { KvClient } from '../api/kv-client.js';
import type { Claims } from './claims.js';

/** The signed-in caller: the client carrying the token, and what the token says of them. */
export interface Session {
  client: KvClient;
  claims: Claims;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) {
    throw new Error('useSession outside a signed-in console');
  }
  return session;
}
