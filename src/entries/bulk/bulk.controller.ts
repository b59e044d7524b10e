import { Body, Controller, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditAction } from '../../audit/audit-action.enum';
import { Audit } from '../../audit/audit-context.decorator';
import type { AuditContext } from '../../audit/audit-context';
import { Audited } from '../../audit/audited.decorator';
import { ApiProblemResponses } from '../../common/errors/api-problem-responses.decorator';
import { ApiExampleBody } from '../../common/openapi/api-example-body.decorator';
import { jsonOf, sendJsonText } from '../../common/http/json-text';
import { REVISION_HEADER_DOC, sendRevision } from '../../common/http/revision-header';
import { uuidParam } from '../../common/validation/uuid.pipe';
import { KvPermission } from '../../permissions/kv-permission.enum';
import type { Principal as Caller } from '../../permissions/principal';
import { Principal } from '../../permissions/principal.decorator';
import { RequirePermissions } from '../../permissions/require-permissions.decorator';
import { BulkService } from './bulk.service';
import { ValueType } from '../model/value-type.enum';
import {
  BulkDeleteResultDto,
  BulkGetResultDto,
  BulkKeysDto,
  BulkSetDto,
  BulkSetResultDto,
} from './dto/bulk.dto';

const NS = { name: 'nsId', format: 'uuid', description: 'Namespace id' } as const;
const INVALID: [number, string] = [
  400,
  'More than 1000 keys, a repeated key, or an invalid item; errors name each by index and key (VALIDATION_FAILED)',
];
const NOT_FOUND: [number, string] = [404, 'No such namespace (NAMESPACE_NOT_FOUND)'];
const KEYS = ['config/database/host', 'config/database/port'];

@ApiTags('bulk')
@ApiProblemResponses(415, 503)
@Controller(':nsId/bulk')
export class BulkController {
  constructor(private readonly bulk: BulkService) {}

  @Post('get')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(KvPermission.EntryRead)
  @Audited(AuditAction.READ, 'nsId')
  @ApiOperation({ summary: 'Get up to 1000 entries with their values in one call' })
  @ApiParam(NS)
  @ApiExampleBody(BulkKeysDto, 'Two keys', { keys: KEYS })
  @ApiOkResponse({ type: BulkGetResultDto, headers: REVISION_HEADER_DOC })
  @ApiProblemResponses(INVALID, NOT_FOUND, [
    413,
    'The values found come to more than KV_MAX_PAGE_BYTES; ask for fewer keys (RESPONSE_TOO_LARGE)',
  ])
  async bulkGet(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Body() dto: BulkKeysDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const {
      body: { items, missing },
      revision,
    } = await this.bulk.get(caller, audit, namespaceId, dto.keys);
    sendRevision(reply, revision);
    // BulkGetResultDto as JSON text, of the entries' own texts: each serialized once per
    // cached entry, not on every read.
    const text = `{"items":[${items.map(jsonOf).join(',')}],"missing":${JSON.stringify(missing)}}`;
    return sendJsonText(reply, text);
  }

  @Post('set')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(KvPermission.EntryWrite)
  @Audited(AuditAction.WRITE, 'nsId')
  @ApiOperation({ summary: 'Set up to 1000 entries in one transaction: all or nothing' })
  @ApiParam(NS)
  @ApiExampleBody(BulkSetDto, 'A string and a number', {
    entries: [
      { key: KEYS[0], value: 'db.internal.example', valueType: ValueType.STRING },
      { key: KEYS[1], value: 5432, valueType: ValueType.NUMBER },
    ],
  })
  @ApiOkResponse({ type: BulkSetResultDto, headers: REVISION_HEADER_DOC })
  @ApiProblemResponses(
    INVALID,
    NOT_FOUND,
    [409, 'An item is not at its expectedVersion; errors name it (VERSION_CONFLICT)'],
    [
      413,
      'A value exceeds KV_MAX_VALUE_BYTES (VALUE_TOO_LARGE) or the body the body limit (PAYLOAD_TOO_LARGE)',
    ],
  )
  async bulkSet(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Body() dto: BulkSetDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BulkSetResultDto> {
    const { body, revision } = await this.bulk.set(caller, audit, namespaceId, dto.entries);
    sendRevision(reply, revision);
    return body;
  }

  @Post('delete')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(KvPermission.EntryDelete)
  @Audited(AuditAction.DELETE, 'nsId')
  @ApiOperation({ summary: 'Delete up to 1000 entries in one transaction' })
  @ApiParam(NS)
  @ApiExampleBody(BulkKeysDto, 'Two keys', { keys: KEYS })
  @ApiOkResponse({ type: BulkDeleteResultDto, headers: REVISION_HEADER_DOC })
  @ApiProblemResponses(INVALID, NOT_FOUND)
  async bulkDelete(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Body() dto: BulkKeysDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BulkDeleteResultDto> {
    const { body, revision } = await this.bulk.remove(caller, audit, namespaceId, dto.keys);
    sendRevision(reply, revision);
    return body;
  }
}
