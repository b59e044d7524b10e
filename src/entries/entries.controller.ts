import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditAction } from '../audit/audit-action.enum';
import { Audit } from '../audit/audit-context.decorator';
import type { AuditContext } from '../audit/audit-context';
import { Audited } from '../audit/audited.decorator';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.decorator';
import { ApiExampleBody } from '../common/openapi/api-example-body.decorator';
import { jsonOf, sendJsonText } from '../common/http/json-text';
import { REVISION_HEADER_DOC, sendRevision } from '../common/http/revision-header';
import { optionalIntQuery } from '../common/validation/int.pipe';
import { uuidParam } from '../common/validation/uuid.pipe';
import { KvPermission } from '../permissions/kv-permission.enum';
import type { Principal as Caller } from '../permissions/principal';
import { Principal } from '../permissions/principal.decorator';
import { RequirePermissions } from '../permissions/require-permissions.decorator';
import { EntryPageDto } from './dto/entry-page.dto';
import { EntryDto } from './dto/entry.dto';
import { ListEntriesQueryDto } from './dto/list-entries-query.dto';
import { SetEntryDto } from './dto/set-entry.dto';
import { ValueType } from './model/value-type.enum';
import { ENTRY_KEY_PARAM, NAMESPACE_PARAM } from './dto/entry-route-params';
import { EntriesService } from './entries.service';
import { writeStatus } from './model/write-status';
import { etagOf } from './model/entry-preconditions';

const NOT_FOUND: [number, string] = [
  404,
  'No such namespace (NAMESPACE_NOT_FOUND) or entry (ENTRY_NOT_FOUND)',
];

/**
 * Each operation takes the key as one path parameter: SDKs send it percent-encoded
 * (config%2Fdb%2Fhost), and a key sent with raw slashes (config/db/host) is encoded so before
 * routing (see encodeEntryKeySlashes).
 */
@ApiTags('entries')
@ApiProblemResponses(503)
@Controller(':nsId/entries')
export class EntriesController {
  constructor(private readonly entries: EntriesService) {}

  @Get()
  @RequirePermissions(KvPermission.NamespaceRead)
  @Audited(AuditAction.LIST, 'nsId')
  @ApiOperation({ summary: 'List entries in byte order of key path, optionally under a prefix' })
  @ApiParam(NAMESPACE_PARAM)
  @ApiOkResponse({ type: EntryPageDto, headers: REVISION_HEADER_DOC })
  @ApiProblemResponses(
    400,
    [403, 'The token lacks kv-namespace:read, or kv-entry:read for includeValues=true (FORBIDDEN)'],
    [404, 'No such namespace (NAMESPACE_NOT_FOUND)'],
    [
      410,
      'asOfRevision is older than the history kept; `revision` is the oldest readable (REVISION_COMPACTED)',
    ],
  )
  async listEntries(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Query() query: ListEntriesQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    // The page as JSON text: a cached page is serialized once, not on every read.
    const { body, revision } = await this.entries.list(caller, audit, namespaceId, query);
    sendRevision(reply, revision);
    return sendJsonText(reply, jsonOf(body));
  }

  @Get(':key')
  @RequirePermissions(KvPermission.EntryRead)
  @Audited(AuditAction.READ, 'nsId', 'key')
  @ApiOperation({ summary: 'Get an entry with its value; its ETag is its version' })
  @ApiParam(NAMESPACE_PARAM)
  @ApiParam(ENTRY_KEY_PARAM)
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'An ETag ("<version>"): 304 if it is current',
  })
  @ApiOkResponse({
    type: EntryDto,
    headers: {
      ETag: { description: '"<version>"', schema: { type: 'string' } },
      ...REVISION_HEADER_DOC,
    },
  })
  @ApiQuery({
    name: 'asOfRevision',
    required: false,
    description:
      'Answer as the namespace was at this revision (value from its history; metadata and expiry are not kept, so null). Older than the history kept: 410 REVISION_COMPACTED; ahead of the namespace: 400',
    schema: { type: 'integer', format: 'int64', minimum: 0 },
  })
  @ApiNotModifiedResponse({
    description: 'If-None-Match names the current version',
    headers: REVISION_HEADER_DOC,
  })
  @ApiProblemResponses(400, NOT_FOUND, [
    410,
    'asOfRevision is older than the history kept; `revision` is the oldest readable (REVISION_COMPACTED)',
  ])
  async getEntry(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Param('key') key: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    // Not a query DTO: other query parameters (a cache buster, say) stay ignored here.
    @Query('asOfRevision', optionalIntQuery('asOfRevision', 0, Number.MAX_SAFE_INTEGER))
    asOfRevision: number | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | undefined> {
    const result = await this.entries.get(
      caller,
      audit,
      namespaceId,
      key,
      ifNoneMatch,
      asOfRevision,
    );
    sendRevision(reply, result.revision);
    if ('notModified' in result) {
      void reply.status(HttpStatus.NOT_MODIFIED).header('etag', etagOf(result.version));
      return undefined;
    }
    void reply.header('etag', etagOf(result.entry.version));
    // A cached entry's response is serialized once, as its JSON text.
    return sendJsonText(reply, jsonOf(result.entry));
  }

  @Put(':key')
  @RequirePermissions(KvPermission.EntryWrite)
  @Audited(AuditAction.WRITE, 'nsId', 'key')
  @ApiOperation({
    summary: 'Create (201) or replace (200) an entry, optionally only at a given version',
  })
  @ApiParam(NAMESPACE_PARAM)
  @ApiParam(ENTRY_KEY_PARAM)
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'An ETag ("<version>"): write only if it is current, else 412',
  })
  @ApiExampleBody(SetEntryDto, 'A string value', {
    value: 'db.internal.example',
    valueType: ValueType.STRING,
    metadata: { owner: 'team-a' },
  })
  @ApiCreatedResponse({ type: EntryDto, description: 'Created', headers: REVISION_HEADER_DOC })
  @ApiOkResponse({ type: EntryDto, description: 'Replaced', headers: REVISION_HEADER_DOC })
  @ApiProblemResponses(
    [
      400,
      'Invalid key, value not of its valueType, bad ttlSeconds or metadata (VALIDATION_FAILED)',
    ],
    [404, 'No such namespace (NAMESPACE_NOT_FOUND)'],
    [409, 'expectedVersion is not the current version (VERSION_CONFLICT)'],
    412,
    [
      413,
      'The value exceeds KV_MAX_VALUE_BYTES (VALUE_TOO_LARGE) or the body the body limit (PAYLOAD_TOO_LARGE)',
    ],
    415,
  )
  async setEntry(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Param('key') key: string,
    @Body() dto: SetEntryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryDto> {
    const { entry, created, revision } = await this.entries.set(
      caller,
      audit,
      namespaceId,
      key,
      dto,
      { expectedVersion: dto.expectedVersion, ifMatch },
    );
    void reply.status(writeStatus(created)).header('etag', etagOf(entry.version));
    sendRevision(reply, revision);
    return entry;
  }

  @Delete(':key')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermissions(KvPermission.EntryDelete)
  @Audited(AuditAction.DELETE, 'nsId', 'key')
  @ApiOperation({ summary: 'Delete an entry' })
  @ApiParam(NAMESPACE_PARAM)
  @ApiParam(ENTRY_KEY_PARAM)
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'An ETag ("<version>"): delete only if it is current, else 412',
  })
  @ApiNoContentResponse({ description: 'Deleted', headers: REVISION_HEADER_DOC })
  @ApiProblemResponses(400, NOT_FOUND, 412)
  async deleteEntry(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Param('key') key: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    sendRevision(reply, await this.entries.remove(caller, audit, namespaceId, key, ifMatch));
  }
}
