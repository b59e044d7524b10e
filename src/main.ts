import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { ConfigError } from './config/config.error';
import { loadConfig } from './config/load-config';

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
  await app.listen(config.http.port, '0.0.0.0');
  new Logger('Bootstrap').log(
    `KV Service listening on ${await app.getUrl()} (API under /api/v1/kv, docs at /api/v1/kv/swagger-ui)`,
  );
}

void bootstrap();
