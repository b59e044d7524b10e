import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { securityHeaders } from '../common/http/security-headers';
import { CONSOLE_PATH } from './console-path';

/**
 * What `npm run build` writes for the console (scripts/build-console.mjs): dist/public/console,
 * reached alike from src/console (the in-process tests) and dist/console (the build).
 */
export const CONSOLE_ROOT = join(__dirname, '..', '..', 'dist', 'public', 'console');

/**
 * Stricter than the API's headers, which let Swagger UI run its inline script: the console's
 * scripts and styles come from its own files only, and no other page may frame it.
 */
export const CONSOLE_HEADERS = securityHeaders({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
});

/**
 * Serves the console's static files under /console/ and redirects /console there. Its files
 * are not fingerprinted, so each load revalidates them (ETag) rather than trusting a cache.
 */
export async function serveConsole(
  app: NestFastifyApplication,
  root = CONSOLE_ROOT,
): Promise<void> {
  // @fastify/static itself, not app.useStaticAssets: Nest's types give setHeaders a Node
  // response, where this version passes the Fastify reply.
  await app.register(fastifyStatic, {
    root,
    prefix: CONSOLE_PATH,
    // Swagger UI's instance decorates the reply already.
    decorateReply: false,
    redirect: true,
    cacheControl: false,
    setHeaders: (reply) => {
      void reply.headers(CONSOLE_HEADERS).header('cache-control', 'no-cache');
    },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .get(CONSOLE_PATH.slice(0, -1), (_request, reply) => reply.redirect(CONSOLE_PATH));
}
