import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { adminTokenBanner } from './permissions/admin-token-banner';
import { DevelopmentTokenService } from './permissions/development-token.service';
import { ConfigError } from './config/config.error';
import { loadConfig } from './config/load-config';
import { printAfterLogs } from './logging/print-after-logs';

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
  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  new Logger('Bootstrap').log(
    `KV Service listening on ${await app.getUrl()} (API under /api/v1/kv, docs at /api/v1/kv/swagger-ui)`,
  );
  const adminToken = await app.get(DevelopmentTokenService).issueAdminToken();
  if (adminToken !== undefined) {
    // The contract asks for it on the console; it stays out of the structured JSON log.
    await printAfterLogs(app, adminTokenBanner(adminToken.token, adminToken.path));
  }
}

void bootstrap();
