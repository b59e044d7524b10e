import cluster from 'node:cluster';
import { ConfigError } from './config/config.error';
import { loadConfig } from './config/load-config';
import { CONSOLE_PATH } from './console/console-path';
import { EmbeddedDatabase } from './database/embedded-database';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      // One line naming the variable, before any logger exists.
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (config.workers.count > 1 && cluster.isPrimary) {
    // KV_WORKERS > 1: this process only runs the workers, each of which runs this file.
    const { ClusterPrimary } = await import('./cluster/cluster-primary');
    new ClusterPrimary({
      workers: config.workers.count,
      logLevel: config.logging.level,
      exec: __filename,
    }).start();
    return;
  }
  if (config.database.url === undefined) {
    // Opened on its own thread while the application's modules load below.
    EmbeddedDatabase.warmUp(config.database.dataDir);
  }
  const [
    { Logger },
    { createApp },
    { DevelopmentTokenService },
    { adminTokenBanner },
    { printAfterLogs },
  ] = await Promise.all([
    import('@nestjs/common'),
    import('./app.setup'),
    import('./permissions/development-token.service'),
    import('./permissions/admin-token-banner'),
    import('./logging/print-after-logs'),
  ]);
  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  const url = await app.getUrl();
  new Logger('Bootstrap').log(
    `KV Service listening on ${url} (API under /api/v1/kv, docs at /api/v1/kv/swagger-ui${
      config.console.enabled ? `, console at ${url}${CONSOLE_PATH}` : ''
    })`,
  );
  const adminToken = await app.get(DevelopmentTokenService).issueAdminToken();
  if (adminToken !== undefined) {
    // The contract asks for it on the console; it stays out of the structured JSON log.
    await printAfterLogs(app, adminTokenBanner(adminToken.token, adminToken.path));
  }
}

void bootstrap();
