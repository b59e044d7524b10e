import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditAction } from '../audit/audit-action.enum';
import { Audit } from '../audit/audit-context.decorator';
import type { AuditContext } from '../audit/audit-context';
import { Audited } from '../audit/audited.decorator';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.decorator';
import { REVISION_HEADER_DOC, sendRevision } from '../common/http/revision-header';
import { Page } from '../common/pagination/page';
import { uuidParam } from '../common/validation/uuid.pipe';
import { EntryDto } from '../entries/dto/entry.dto';
import { ENTRY_KEY_PARAM, NAMESPACE_PARAM } from '../entries/dto/entry-route-params';
import { KvPermission } from '../permissions/kv-permission.enum';
import type { Principal as Caller } from '../permissions/principal';
import { Principal } from '../permissions/principal.decorator';
import { RequirePermissions } from '../permissions/require-permissions.decorator';
import { DeletedEntryPageDto } from './dto/deleted-entry-page.dto';
import { DeletedEntryDto } from './dto/deleted-entry.dto';
import { ListDeletedQueryDto } from './dto/list-deleted-query.dto';
import { RecoveryService } from './recovery.service';

const NOT_SECRET: [number, string] = [
  400,
  'Invalid input (VALIDATION_FAILED) or a plain namespace (NOT_A_SECRET_NAMESPACE)',
];

/**
 * The recovery window of secret namespaces: deleted and expired entries, and their restore.
 * Keys sent with raw slashes reach restore through SecretsController's wildcard.
 */
@ApiTags('secrets')
@ApiProblemResponses(503)
@Controller(':nsId')
export class RecoveryController {
  constructor(private readonly recovery: RecoveryService) {}

  @Get('deleted')
  @RequirePermissions(KvPermission.NamespaceRead)
  @Audited(AuditAction.LIST, 'nsId')
  @ApiOperation({
    summary: 'List the deleted or expired secret entries that can still be restored, keys only',
    description:
      'A deleted or expired entry of a secret namespace keeps its versions for ' +
      'KV_SECRET_RECOVERY_DAYS (default 7; 0 keeps none): until `recoverableUntil` it is listed ' +
      'here and can be restored; then its versions are purged (event kv.entry.purged). Reads and ' +
      'lists of entries never show it. Never a value.',
  })
  @ApiParam(NAMESPACE_PARAM)
  @ApiOkResponse({ type: DeletedEntryPageDto })
  @ApiProblemResponses(NOT_SECRET, [404, 'No such namespace (NAMESPACE_NOT_FOUND)'])
  listDeletedEntries(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Query() query: ListDeletedQueryDto,
  ): Promise<Page<DeletedEntryDto>> {
    return this.recovery.listDeleted(caller, audit, namespaceId, query);
  }

  @Post('entries/:key/restore')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(KvPermission.EntryDelete)
  @Audited(AuditAction.RESTORE, 'nsId', 'key')
  @ApiOperation({
    summary: 'Bring a deleted or expired secret entry back from its recovery window',
    description:
      "Makes the last version's value current again as a new version (change reason " +
      '`restore`, event kv.entry.restored), with its metadata and without expiry; its version ' +
      'history is kept. Needs kv-entry:delete, like the deletion it undoes.',
  })
  @ApiParam(NAMESPACE_PARAM)
  @ApiParam(ENTRY_KEY_PARAM)
  @ApiOkResponse({
    type: EntryDto,
    description:
      'The restored entry; `value` only if the token also holds kv-entry:read, since restoring is not reading',
    headers: REVISION_HEADER_DOC,
  })
  @ApiProblemResponses(
    NOT_SECRET,
    [
      404,
      'No such namespace (NAMESPACE_NOT_FOUND), or nothing recoverable under the key (ENTRY_NOT_FOUND)',
    ],
    [409, 'The key holds a live entry (VERSION_CONFLICT)'],
  )
  async restoreEntry(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Param('key') key: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryDto> {
    const { body, revision } = await this.recovery.restore(caller, audit, namespaceId, key);
    sendRevision(reply, revision);
    return body;
  }
}
