import { useSession } from './session.js';

/** The caller as the token describes them. */
export function WhoAmI() {
  const { claims } = useSession();
  return (
    <section class="who-am-i" aria-labelledby="who-am-i-title">
      <h2 id="who-am-i-title">Signed in as {claims.sub}</h2>
      <dl>
        <dt>Applications</dt>
        <dd>
          {claims.applications.length === 0
            ? 'none'
            : claims.applications.map((app) => (app === '*' ? 'all (*)' : app)).join(', ')}
        </dd>
        <dt>Permissions</dt>
        <dd>
          <ul class="chips">
            {claims.permissions.map((permission) => (
              <li key={permission}>{permission}</li>
            ))}
          </ul>
        </dd>
        <dt>Token expires</dt>
        <dd>{claims.expiresAt?.toLocaleString() ?? 'never'}</dd>
      </dl>
      <p class="hint">Read from the token for display; the service decides on every call.</p>
    </section>
  );
}
