import { useMemo, useState } from 'preact/hooks';
import { createKvClient } from '../api/kv-client.js';
import { AuditView } from '../audit/audit-view.js';
import { type Claims, decodeClaims } from '../auth/claims.js';
import { SessionContext } from '../auth/session.js';
import { SignIn } from '../auth/sign-in.js';
import { tokenStore } from '../auth/token-store.js';
import { WhoAmI } from '../auth/who-am-i.js';
import { NamespaceView } from '../namespaces/namespace-view.js';
import { NamespacesView } from '../namespaces/namespaces-view.js';
import { routeHref, useRoute } from './route.js';

interface SignedIn {
  token: string;
  claims: Claims;
}

function restore(): SignedIn | undefined {
  const token = tokenStore.read();
  const claims = token === undefined ? undefined : decodeClaims(token);
  return token === undefined || claims === undefined ? undefined : { token, claims };
}

/** The console: sign-in, then the namespaces, a namespace's entries, and the audit log. */
export function App() {
  const [signedIn, setSignedIn] = useState(restore);
  const [notice, setNotice] = useState<string>();
  const route = useRoute();
  const session = useMemo(() => {
    if (signedIn === undefined) {
      return undefined;
    }
    const refused = () => {
      tokenStore.clear();
      setNotice('The service no longer accepts your token (it may have expired). Sign in again.');
      setSignedIn(undefined);
    };
    return { client: createKvClient(signedIn.token, refused), claims: signedIn.claims };
  }, [signedIn]);

  if (session === undefined) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(token, claims) => {
          tokenStore.write(token);
          setNotice(undefined);
          setSignedIn({ token, claims });
        }}
      />
    );
  }
  const signOut = () => {
    tokenStore.clear();
    setSignedIn(undefined);
  };
  return (
    <SessionContext.Provider value={session}>
      <a class="skip" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">KV console</span>
        <nav aria-label="Sections">
          <a
            href={routeHref({ view: 'namespaces' })}
            aria-current={current(route.view !== 'audit' && route.view !== 'whoami')}
          >
            Namespaces
          </a>
          <a href={routeHref({ view: 'audit' })} aria-current={current(route.view === 'audit')}>
            Audit log
          </a>
          <a href={routeHref({ view: 'whoami' })} aria-current={current(route.view === 'whoami')}>
            {session.claims.sub}
          </a>
        </nav>
        <button type="button" class="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.view === 'namespaces' && <NamespacesView />}
        {route.view === 'namespace' && (
          <NamespaceView key={route.id} id={route.id} openKey={route.key} />
        )}
        {route.view === 'audit' && <AuditView />}
        {route.view === 'whoami' && <WhoAmI />}
      </main>
    </SessionContext.Provider>
  );
}

function current(active: boolean): 'page' | undefined {
  return active ? 'page' : undefined;
}

/** The hash holds the route: the skip link focuses the content instead of changing it. */
function skipToMain(event: Event) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}
