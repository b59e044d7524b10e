import { Controller, Get, Header, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.decorator';
import { SealStatusService, keysSealed } from '../crypto/seal-status.service';
import { EventPublisher } from '../events/event-publisher';
import { Public } from '../permissions/public.decorator';
import { LIVENESS_SCHEMA, NOT_READY_SCHEMA, READY_SCHEMA } from './health-schemas';
import { MetricsService } from './metrics.service';
import { DatabaseFaultsHealthIndicator } from './database-faults.health';
import { MigrationsHealthIndicator } from './migrations.health';

@ApiTags('health')
@ApiProblemResponses(408, 431)
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
    private readonly queries: DatabaseFaultsHealthIndicator,
    private readonly metrics: MetricsService,
    private readonly seal: SealStatusService,
    private readonly publisher: EventPublisher,
  ) {}

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @ApiOkResponse({ description: 'Alive', schema: LIVENESS_SCHEMA })
  getLiveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @ApiOperation({
    summary:
      'Readiness: the database is reachable and migrated, and every master key in use opens its data keys; 503 with details.crypto.status "sealed" (missingMasterKeyIds, mismatchedMasterKeyIds) while one is missing or is not the key the data keys were wrapped with. Data keys that fail to open while others of their master key open are reported as sealed (damagedDataKeys) without making the replica unready',
    description:
      'Also 503 while the requests themselves fail for a database reason (check `queries`), even if a ping gets through; it recovers with the next request that succeeds, or 30 s after the last failure.',
  })
  @ApiOkResponse({ description: 'Ready to serve', schema: READY_SCHEMA })
  @ApiServiceUnavailableResponse({
    description:
      'Not ready (database, migrations, failing requests or sealed secrets); the body says which check failed',
    schema: NOT_READY_SCHEMA,
  })
  async getReadiness(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HealthCheckResult | string | object> {
    try {
      const result = await this.health.check([
        () => this.database.pingCheck('database', { timeout: 2000 }),
        () => this.migrations.isApplied('migrations'),
        () => this.queries.check('queries'),
      ]);
      // Sealed by a missing or wrong master key is not ready, as Vault's health answers 503
      // while sealed: plain namespaces would still work, but a replica started with the wrong
      // keys must not take traffic, and a rolling deployment stops at it while the old replicas
      // keep serving. Damaged data keys (the same for every replica) are reported only.
      const crypto = await this.seal.status();
      // The broker is reported, not required: events wait in the outbox while it is down.
      const broker = { status: this.publisher.state() };
      const details = { ...result.details, crypto, broker };
      if (keysSealed(crypto)) {
        void reply.status(503);
        return { status: 'error', info: result.info, error: { crypto }, details };
      }
      return { ...result, details };
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        void reply.status(503);
        return error.getResponse();
      }
      throw error;
    }
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  getMetrics(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
