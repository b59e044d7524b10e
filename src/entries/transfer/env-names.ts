/**
 * The dotenv name of a key path (below the export's prefix): upper-cased, every character other
 * than A-Z and 0-9 (the `/` between segments included) turned into `_`.
 * `config/database/host` → `CONFIG_DATABASE_HOST`, `feature-flags/beta` → `FEATURE_FLAGS_BETA`.
 */
export function envNameOf(keyPath: string): string {
  return keyPath.toUpperCase().replace(/[^A-Z0-9]/gu, '_');
}
