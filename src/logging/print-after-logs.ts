import type { INestApplication } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { symbols } from 'pino';

/**
 * Prints plain text on the log's own stream, behind the lines still queued there: pino writes
 * asynchronously, so text written straight to stdout can overtake log lines written before it.
 */
export async function printAfterLogs(app: INestApplication, text: string): Promise<void> {
  const { logger } = await app.resolve(PinoLogger);
  const stream = (logger as unknown as Record<symbol, NodeJS.WritableStream>)[symbols.streamSym];
  stream.write(`${text}\n`);
}
