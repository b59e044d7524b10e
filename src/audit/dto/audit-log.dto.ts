import { ApiProperty } from '@nestjs/swagger';
import { AuditAction } from '../audit-action.enum';

export class AuditLogDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true, example: 'app-123' })
  applicationId: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'From the URL; kept after the namespace is deleted',
  })
  namespaceId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  entryId: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'config/database/host' })
  keyPath: string | null;

  @ApiProperty({ enum: AuditAction, enumName: 'AuditAction', example: AuditAction.READ })
  action: AuditAction;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The token's sub; null when no valid token was sent",
    example: 'alice',
  })
  userId: string | null;

  @ApiProperty({ example: true })
  success: boolean;

  @ApiProperty({
    type: 'integer',
    minimum: 100,
    maximum: 599,
    description: 'HTTP status of the response',
    example: 200,
  })
  statusCode: number;

  @ApiProperty({
    description: 'X-Request-Id of the request',
    example: '5f0b8a3e-1c1e-4c55-9f0e-6a4f1d2b3c4d',
  })
  requestId: string;

  @ApiProperty({ format: 'date-time' })
  timestamp: string;

  static from(row: {
    id: string;
    application_id: string | null;
    namespace_id: string | null;
    entry_id: string | null;
    key_path: string | null;
    action: AuditAction;
    user_id: string | null;
    success: boolean;
    status_code: number;
    request_id: string;
    timestamp: Date;
  }): AuditLogDto {
    return {
      id: row.id,
      applicationId: row.application_id,
      namespaceId: row.namespace_id,
      entryId: row.entry_id,
      keyPath: row.key_path,
      action: row.action,
      userId: row.user_id,
      success: row.success,
      statusCode: row.status_code,
      requestId: row.request_id,
      timestamp: row.timestamp.toISOString(),
    };
  }
}
