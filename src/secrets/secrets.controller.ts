import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditAction } from '../audit/audit-action.enum';
import { Audit } from '../audit/audit-context.decorator';
import type { AuditContext } from '../audit/audit-context';
import { Audited } from '../audit/audited.decorator';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.decorator';
import { REVISION_HEADER_DOC, sendRevision } from '../common/http/revision-header';
import { ApiExampleBody } from '../common/openapi/api-example-body.decorator';
import { Page } from '../common/pagination/page';
import { PageQueryDto } from '../common/pagination/page-query.dto';
import { intParam } from '../common/validation/int.pipe';
import { uuidParam } from '../common/validation/uuid.pipe';
import { MAX_VERSION } from '../entries/model/max-version';
import { EntryDto } from '../entries/dto/entry.dto';
import { ENTRY_KEY_PARAM, NAMESPACE_PARAM } from '../entries/dto/entry-route-params';
import { KvPermission } from '../permissions/kv-permission.enum';
import type { Principal as Caller } from '../permissions/principal';
import { Principal } from '../permissions/principal.decorator';
import { RequirePermissions } from '../permissions/require-permissions.decorator';
import { EntryVersionPageDto } from './dto/entry-version-page.dto';
import { EntryVersionDto } from './dto/entry-version.dto';
import { EntryVersionValueDto } from './dto/entry-version-value.dto';
import { RollbackSecretDto } from './dto/rollback-secret.dto';
import { RotateSecretDto } from './dto/rotate-secret.dto';
import { RecoveryService } from './recovery.service';
import { SecretsService } from './secrets.service';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'An ETag ("<version>"): change only if it is current, else 412',
};
const CHANGE_ERRORS: (number | [number, string])[] = [
  [400, 'Invalid input (VALIDATION_FAILED) or a plain namespace (NOT_A_SECRET_NAMESPACE)'],
  [409, 'expectedVersion is not the current version (VERSION_CONFLICT)'],
  412,
  415,
];

/** Rotate and rollback need kv-secret:rotate only; showing the value is reading it. */
const WITHOUT_VALUE =
  'The entry as changed; `value` only if the token also holds kv-entry:read, so a rollback reveals no old value to a rotate-only token';

/** Versions of every entry; rotate and rollback of secret entries. */

@ApiTags('secrets')
@ApiProblemResponses(503)
@Controller(':nsId/entries')
export class SecretsController {
  constructor(
    private readonly secrets: SecretsService,
    private readonly recovery: RecoveryService,
  ) {}

  @Get(':key/versions')
  @RequirePermissions(KvPermission.EntryRead)
  @Audited(AuditAction.READ, 'nsId', 'key')
  @ApiOperation({
    summary: 'Page the versions of an entry, newest first, without values',
    description:
      'Every namespace keeps a version per change (secret ones sealed), for its history retention.',
  })
  @ApiParam(NAMESPACE_PARAM)
  @ApiParam(ENTRY_KEY_PARAM)
  @ApiOkResponse({ type: EntryVersionPageDto, headers: REVISION_HEADER_DOC })
  @ApiProblemResponses(400, [
    404,
    'No such namespace or entry (NAMESPACE_NOT_FOUND, ENTRY_NOT_FOUND)',
  ])
  async listVersions(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Param('key') key: string,
    @Query() page: PageQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<EntryVersionDto>> {
    const { body, revision } = await this.secrets.listVersions(
      caller,
      audit,
      namespaceId,
      key,
      page,
    );
    sendRevision(reply, revision);
    return body;
  }

  @Get(':key/versions/:version')
  @RequirePermissions(KvPermission.EntryRead)
  @Audited(AuditAction.READ, 'nsId', 'key')
  @ApiOperation({
    summary: 'Get version n of an entry with its value',
    description:
      'A key whose last two segments are `versions/<n>` must be sent with %2F to be read itself.',
  })
  @ApiParam(NAMESPACE_PARAM)
  @ApiParam(ENTRY_KEY_PARAM)
  @ApiParam({
    name: 'version',
    schema: { type: 'integer', minimum: 1, maximum: MAX_VERSION, example: 1 },
  })
  @ApiOkResponse({ type: EntryVersionValueDto, headers: REVISION_HEADER_DOC })
  @ApiProblemResponses(400, [
    404,
    'No such namespace, entry or kept version (NAMESPACE_NOT_FOUND, ENTRY_NOT_FOUND, VERSION_NOT_FOUND)',
  ])
  async getVersion(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Param('key') key: string,
    @Param('version', intParam('version', 1, MAX_VERSION)) version: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryVersionValueDto> {
    const { body, revision } = await this.secrets.getVersion(
      caller,
      audit,
      namespaceId,
      key,
      version,
    );
    sendRevision(reply, revision);
    return body;
  }

  @Post(':key/rotate')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(KvPermission.SecretRotate)
  @Audited(AuditAction.ROTATE, 'nsId', 'key')
  @ApiOperation({ summary: 'Store a new value of a secret entry as a new version' })
  @ApiParam(NAMESPACE_PARAM)
  @ApiParam(ENTRY_KEY_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiExampleBody(RotateSecretDto, 'A new value of the same type', {
    value: 'db2.internal.example',
  })
  @ApiOkResponse({ type: EntryDto, description: WITHOUT_VALUE, headers: REVISION_HEADER_DOC })
  @ApiProblemResponses(
    ...CHANGE_ERRORS,
    [404, 'No such namespace or entry (NAMESPACE_NOT_FOUND, ENTRY_NOT_FOUND)'],
    [
      413,
      'The value exceeds KV_MAX_VALUE_BYTES (VALUE_TOO_LARGE) or the body the body limit (PAYLOAD_TOO_LARGE)',
    ],
  )
  async rotateSecret(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Param('key') key: string,
    @Body() dto: RotateSecretDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryDto> {
    const { body, revision } = await this.secrets.rotate(
      caller,
      audit,
      namespaceId,
      key,
      dto,
      ifMatch,
    );
    sendRevision(reply, revision);
    return body;
  }

  @Post(':key/rollback')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(KvPermission.SecretRotate)
  @Audited(AuditAction.ROLLBACK, 'nsId', 'key')
  @ApiOperation({ summary: "Make version n's value current again, as a new version" })
  @ApiParam(NAMESPACE_PARAM)
  @ApiParam(ENTRY_KEY_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiExampleBody(RollbackSecretDto, 'Back to the first version', { version: 1 })
  @ApiOkResponse({ type: EntryDto, description: WITHOUT_VALUE, headers: REVISION_HEADER_DOC })
  @ApiProblemResponses(...CHANGE_ERRORS, [
    404,
    'No such namespace, entry or version (NAMESPACE_NOT_FOUND, ENTRY_NOT_FOUND, VERSION_NOT_FOUND)',
  ])
  async rollbackSecret(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Param('key') key: string,
    @Body() dto: RollbackSecretDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryDto> {
    const { body, revision } = await this.secrets.rollback(
      caller,
      audit,
      namespaceId,
      key,
      dto,
      ifMatch,
    );
    sendRevision(reply, revision);
    return body;
  }
}
