/**
 * npm run openapi: writes openapi.json (repository root) from the application's definition.
 * Nest's preview mode builds the module graph without creating providers, so no database,
 * broker or key is touched.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../src/app.module';
import { applyGlobalPrefix, buildOpenApi } from '../src/app.setup';
import { loadConfig } from '../src/config/load-config';

export async function openApiDocument(): Promise<string> {
  const config = loadConfig({
    DATABASE_URL: 'postgres://preview/none',
    KV_MASTER_KEY: Buffer.alloc(32).toString('base64'),
    AUTH_JWT_SECRET: 'x'.repeat(32),
    RABBITMQ_URL: 'amqp://preview',
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter(),
    { preview: true, logger: false },
  );
  applyGlobalPrefix(app);
  const document = buildOpenApi(app);
  await app.close();
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (require.main === module) {
  void openApiDocument().then((text) => writeFileSync(join(__dirname, '..', 'openapi.json'), text));
}
