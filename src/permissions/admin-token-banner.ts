const RULE = '═'.repeat(78);
const SHELL_SAFE = /^[A-Za-z0-9_./-]+$/;

function shellQuoted(path: string): string {
  return SHELL_SAFE.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/**
 * The block that ends an embedded start, after the "listening" line, so the token is the last
 * thing on the console rather than lost among start-up logs. The token has a line to itself,
 * at its start, for a double-click to select it whole.
 */
export function adminTokenBanner(token: string, path: string): string {
  return [
    RULE,
    'Development admin token (all permissions, all applications, valid 7 days):',
    token,
    '',
    `Saved to ${path}; in a shell: export KV_TOKEN=$(cat ${shellQuoted(path)})`,
    RULE,
  ].join('\n');
}
