import { useEffect, useState } from 'preact/hooks';

/** What the console shows, kept in the URL's fragment (never a token, only ids and keys). */
export type Route =
  | { view: 'namespaces' }
  | { view: 'namespace'; id: string; key?: string }
  | { view: 'audit' }
  | { view: 'whoami' };

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter((part) => part !== '');
  if (parts[0] === 'ns' && parts[1] !== undefined) {
    const key = new URLSearchParams(query).get('key') ?? undefined;
    return { view: 'namespace', id: decodeURIComponent(parts[1]), key };
  }
  if (parts[0] === 'audit') {
    return { view: 'audit' };
  }
  if (parts[0] === 'me') {
    return { view: 'whoami' };
  }
  return { view: 'namespaces' };
}

export function routeHref(route: Route): string {
  switch (route.view) {
    case 'namespaces':
      return '#/namespaces';
    case 'audit':
      return '#/audit';
    case 'whoami':
      return '#/me';
    case 'namespace':
      return `#/ns/${encodeURIComponent(route.id)}${
        route.key === undefined ? '' : `?${new URLSearchParams({ key: route.key }).toString()}`
      }`;
  }
}

export function navigate(route: Route): void {
  location.hash = routeHref(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
