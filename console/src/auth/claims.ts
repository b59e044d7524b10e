/** What the console reads from a token, for display and for greying out controls only. */
export interface Claims {
  sub: string;
  permissions: string[];
  applications: string[];
  expiresAt: Date | undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/**
 * The payload of a JWT, decoded without verifying it: the API has no introspection route, and
 * it stays the authority on every call. Undefined when the text is not a JWT.
 */
export function decodeClaims(token: string): Claims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return undefined;
  }
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof payload !== 'object' || payload === null) {
      return undefined;
    }
    const claims = payload as Record<string, unknown>;
    return {
      sub: typeof claims.sub === 'string' ? claims.sub : '(no sub)',
      permissions: strings(claims.permissions),
      applications: strings(claims.applications),
      expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined,
    };
  } catch {
    return undefined;
  }
}

/** Whether the token grants a permission: a hint for the UI, never a decision. */
export function can(claims: Claims, permission: string): boolean {
  return claims.permissions.includes(permission);
}
