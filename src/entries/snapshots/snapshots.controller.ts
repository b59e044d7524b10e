import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditAction } from '../../audit/audit-action.enum';
import { Audit } from '../../audit/audit-context.decorator';
import type { AuditContext } from '../../audit/audit-context';
import { Audited } from '../../audit/audited.decorator';
import { ApiProblemResponses } from '../../common/errors/api-problem-responses.decorator';
import { REVISION_HEADER_DOC, sendRevision } from '../../common/http/revision-header';
import { ApiExampleBody } from '../../common/openapi/api-example-body.decorator';
import { Page } from '../../common/pagination/page';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { uuidParam } from '../../common/validation/uuid.pipe';
import { KvPermission } from '../../permissions/kv-permission.enum';
import type { Principal as Caller } from '../../permissions/principal';
import { Principal } from '../../permissions/principal.decorator';
import { RequirePermissions } from '../../permissions/require-permissions.decorator';
import { NAMESPACE_PARAM } from '../dto/entry-route-params';
import { CreateSnapshotDto } from './dto/create-snapshot.dto';
import { RestorePlanDto } from './dto/restore-plan.dto';
import { RestoreDto } from './dto/restore.dto';
import { SnapshotPageDto } from './dto/snapshot-page.dto';
import { SnapshotDto } from './dto/snapshot.dto';
import { RestoreService } from './restore.service';
import { SNAPSHOT_NAME } from './snapshot-rules';
import { SnapshotsService } from './snapshots.service';

const NOT_FOUND: [number, string] = [404, 'No such namespace (NAMESPACE_NOT_FOUND)'];

@ApiTags('history')
@ApiProblemResponses(503)
@Controller(':nsId')
export class SnapshotsController {
  constructor(
    private readonly snapshots: SnapshotsService,
    private readonly restores: RestoreService,
  ) {}

  @Post('snapshots')
  @RequirePermissions(KvPermission.NamespaceWrite)
  @Audited(AuditAction.SNAPSHOT_CREATE, 'nsId')
  @ApiOperation({
    summary: "Pin the namespace's current revision under a name",
    description:
      'A snapshot is immutable: its name is never reused in the namespace. Read it as an as-of read, `GET /{nsId}/entries?asOfRevision=<revision>` (and the same on one key), which answers even once history retention has compacted older revisions; restore it with `POST /{nsId}/restore {"snapshot": name}`. Announced as `kv.namespace.snapshot_created`.',
  })
  @ApiParam(NAMESPACE_PARAM)
  @ApiExampleBody(CreateSnapshotDto, 'A snapshot before a change', {
    name: 'before-migration',
    description: 'Configuration as it was before the schema migration',
  })
  @ApiCreatedResponse({ type: SnapshotDto })
  @ApiProblemResponses(400, NOT_FOUND, [
    409,
    'The namespace already has a snapshot of this name (SNAPSHOT_NAME_TAKEN)',
  ])
  createSnapshot(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Body() dto: CreateSnapshotDto,
  ): Promise<SnapshotDto> {
    return this.snapshots.create(caller, audit, namespaceId, dto);
  }

  @Get('snapshots')
  @RequirePermissions(KvPermission.NamespaceRead)
  @Audited(AuditAction.LIST, 'nsId')
  @ApiOperation({ summary: 'List the snapshots of a namespace in byte order of name' })
  @ApiParam(NAMESPACE_PARAM)
  @ApiOkResponse({ type: SnapshotPageDto })
  @ApiProblemResponses(400, NOT_FOUND)
  listSnapshots(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<SnapshotDto>> {
    return this.snapshots.list(caller, audit, namespaceId, query);
  }

  @Get('snapshots/:name')
  @RequirePermissions(KvPermission.NamespaceRead)
  @Audited(AuditAction.READ, 'nsId')
  @ApiOperation({ summary: 'Get a snapshot: the revision it pins' })
  @ApiParam(NAMESPACE_PARAM)
  @ApiParam({
    name: 'name',
    description: 'The snapshot name',
    schema: { type: 'string', pattern: SNAPSHOT_NAME.source, example: 'before-migration' },
  })
  @ApiOkResponse({ type: SnapshotDto })
  @ApiProblemResponses(400, [
    404,
    'No such namespace (NAMESPACE_NOT_FOUND), or no snapshot of this name (SNAPSHOT_NOT_FOUND)',
  ])
  getSnapshot(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Param('name') name: string,
  ): Promise<SnapshotDto> {
    return this.snapshots.get(caller, audit, namespaceId, name);
  }

  @Post('restore')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(KvPermission.EntryRead, KvPermission.EntryWrite, KvPermission.EntryDelete)
  @Audited(AuditAction.RESTORE, 'nsId')
  @ApiOperation({
    summary: 'Make the namespace (or a prefix) what a past revision or a snapshot left, or plan it',
    description:
      'Keys whose type or value differ from then are written with the old value (as new versions; no metadata, the namespace’s default TTL), keys alive then and not now are written again, keys alive now and not then are deleted: all in one transaction, so one new revision (none when nothing differs). Keys outside `prefix` are left as they are. The answer is the plan applied, keys and versions, never values; `dryRun` answers the same plan and changes nothing. `expectedRevision` that is not the namespace’s revision → 409 REVISION_CONFLICT whose `revision` is the current one. A revision older than the history kept (and pinned by no snapshot) → 410. Secret values are opened to compare and sealed again under the namespace’s current data key. At most 10000 keys in scope. Needs kv-entry:write and kv-entry:delete, and kv-entry:read as an import does: a plan that tells unchanged from updated keys would otherwise let a caller test guesses of past values.',
  })
  @ApiParam(NAMESPACE_PARAM)
  @ApiExampleBody(RestoreDto, 'Plan restoring a snapshot', {
    snapshot: 'before-migration',
    dryRun: true,
  })
  @ApiOkResponse({ type: RestorePlanDto, headers: REVISION_HEADER_DOC })
  @ApiProblemResponses(
    [
      400,
      'Neither or both of revision and snapshot, a revision ahead of the namespace, more keys than a restore takes (VALIDATION_FAILED)',
    ],
    [
      404,
      'No such namespace (NAMESPACE_NOT_FOUND), or no snapshot of this name (SNAPSHOT_NOT_FOUND)',
    ],
    [
      409,
      'expectedRevision is not the namespace’s revision; `revision` is the current one (REVISION_CONFLICT)',
    ],
    [
      410,
      'The revision is older than the history kept, or needs a version no longer kept; `revision` is where to resync from (REVISION_COMPACTED)',
    ],
  )
  async restoreNamespace(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Body() dto: RestoreDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RestorePlanDto> {
    const { body, revision } = await this.restores.restore(caller, audit, namespaceId, dto);
    sendRevision(reply, revision);
    return body;
  }
}
