import { useState } from 'preact/hooks';
import { createKvClient } from '../api/kv-client.js';
import { type Claims, decodeClaims } from './claims.js';

interface Props {
  onSignedIn: (token: string, claims: Claims) => void;
  notice?: string;
}

/**
 * Takes a pasted token, checks that the API accepts it (one namespace listing: 401 is a
 * refusal, 403 only a missing permission), and hands it on. The token is never put in a URL.
 */
export function SignIn({ onSignedIn, notice }: Props) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(notice);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const trimmed = token.trim();
    const claims = decodeClaims(trimmed);
    if (claims === undefined) {
      setError('This is not a JWT (three base64url parts separated by dots).');
      return;
    }
    setBusy(true);
    try {
      const { response } = await createKvClient(trimmed).GET('/api/v1/kv/namespaces', {
        params: { query: { limit: 1 } },
      });
      if (response.status === 401) {
        setError('The service refused this token (signature, expiry, issuer or audience).');
        return;
      }
      onSignedIn(trimmed, claims);
    } catch {
      setError('The service did not answer.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="sign-in">
      <h1>KV Service console</h1>
      <form onSubmit={(event) => void submit(event)}>
        <label for="token">Bearer token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
          aria-describedby="token-help"
          aria-invalid={error !== undefined}
          required
        />
        <p id="token-help" class="hint">
          Paste a JWT (the embedded mode prints one at start-up; <code>npm run token</code> mints
          others). It stays in this tab only and is forgotten when the tab closes.
        </p>
        {error !== undefined && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
