const KEY = 'kv-console.token';

/**
 * The signed-in token lives in this tab's sessionStorage (gone when the tab closes), never in
 * localStorage or a URL.
 */
export const tokenStore = {
  read(): string | undefined {
    return sessionStorage.getItem(KEY) ?? undefined;
  },
  write(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};
