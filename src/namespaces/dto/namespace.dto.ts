import { ApiProperty } from '@nestjs/swagger';
import type { NamespaceEntity } from '../namespace.entity';
import { MAX_HISTORY_RETENTION_DAYS, MAX_KEPT_VERSIONS, MAX_TTL_SECONDS } from '../namespace-rules';

export class NamespaceDto {
  @ApiProperty({ format: 'uuid', example: '6f1c1d0e-8a4b-4a53-9d56-3f2d0c7f6c11' })
  id: string;

  @ApiProperty({ description: 'Unique within the application', example: 'production-secrets' })
  name: string;

  @ApiProperty({ type: String, nullable: true, example: 'Production environment secrets' })
  description: string | null;

  @ApiProperty({ description: 'Owning application', example: 'app-123' })
  applicationId: string;

  @ApiProperty({
    description: 'Values are encrypted and versioned; fixed at creation',
    example: true,
  })
  isSecretNamespace: boolean;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: MAX_TTL_SECONDS,
    description: 'TTL given to entries set without ttlSeconds',
    example: null,
  })
  defaultTtlSeconds: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: MAX_KEPT_VERSIONS,
    description: 'Versions kept of each secret key, the newest; null: every version',
    example: null,
  })
  maxVersions: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: MAX_HISTORY_RETENTION_DAYS,
    description: 'Days the history is kept; null: the service default (KV_HISTORY_RETENTION_DAYS)',
    example: null,
  })
  historyRetentionDays: number | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T18:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T18:00:00.000Z' })
  updatedAt: string;

  static from(entity: NamespaceEntity): NamespaceDto {
    return {
      id: entity.id,
      name: entity.name,
      description: entity.description,
      applicationId: entity.applicationId,
      isSecretNamespace: entity.isSecretNamespace,
      defaultTtlSeconds: entity.defaultTtlSeconds,
      maxVersions: entity.maxVersions,
      historyRetentionDays: entity.historyRetentionDays,
      createdAt: entity.createdAt.toISOString(),
      updatedAt: entity.updatedAt.toISOString(),
    };
  }
}
