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
import {
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditAction } from '../../audit/audit-action.enum';
import { Audit } from '../../audit/audit-context.decorator';
import type { AuditContext } from '../../audit/audit-context';
import { Audited } from '../../audit/audited.decorator';
import { ApiProblemResponses } from '../../common/errors/api-problem-responses.decorator';
import { AcceptsDocumentBody } from '../../common/http/document-body';
import { REVISION_HEADER_DOC, sendRevision } from '../../common/http/revision-header';
import { uuidParam } from '../../common/validation/uuid.pipe';
import { KvPermission } from '../../permissions/kv-permission.enum';
import type { Principal as Caller } from '../../permissions/principal';
import { Principal } from '../../permissions/principal.decorator';
import { RequirePermissions } from '../../permissions/require-permissions.decorator';
import { NAMESPACE_PARAM } from '../dto/entry-route-params';
import { etagOf } from '../model/entry-preconditions';
import { ExportQueryDto } from './dto/export-query.dto';
import { ImportPlanDto } from './dto/import-plan.dto';
import { ImportQueryDto } from './dto/import-query.dto';
import { ExportService } from './export.service';
import { ImportService } from './import.service';
import { MEDIA_TYPES } from './transfer-format.enum';

const NOT_FOUND: [number, string] = [404, 'No such namespace (NAMESPACE_NOT_FOUND)'];
/** How many keys an export holds, sent before its body. */
const KEYS_HEADER = 'X-KV-Keys';
const DOTENV_EXAMPLE = "DATABASE_HOST=db.internal\nDATABASE_PASSWORD='s3cr3t#1'\n";

@ApiTags('transfer')
@ApiProblemResponses(503)
@Controller(':nsId')
export class TransferController {
  constructor(
    private readonly exports: ExportService,
    private readonly imports: ImportService,
  ) {}

  @Get('export')
  @RequirePermissions(KvPermission.EntryRead)
  @Audited(AuditAction.READ, 'nsId')
  @ApiOperation({
    summary: 'Export the live entries as one dotenv, JSON or YAML document',
    description:
      'dotenv: one `NAME=value` line per entry, sorted by name; NAME is the key below `prefix`, upper-cased, with every character other than A-Z and 0-9 (`/` included) turned into `_` (`config/database/host` → `CONFIG_DATABASE_HOST`); values are written so that the `dotenv` parser reads them back exactly (non-string values as JSON text). JSON and YAML: objects nested by key segment, values with their JSON types (BINARY as its base64 string, JSON values as they are). Keys that collide once flattened, a key that is also the parent of another, or a value dotenv cannot carry → 409 EXPORT_CONFLICT naming the keys. With asOfRevision, the entries as that revision left them (from history: older than the history kept → 410 REVISION_COMPACTED, ahead of the namespace → 400). X-KV-Revision is the revision the document is; a live export also answers it as its ETag (`"<revision>"`), which an import takes as If-Match. One audit record lists the keys exported, never a value.',
  })
  @ApiParam(NAMESPACE_PARAM)
  @ApiProduces(MEDIA_TYPES.dotenv, MEDIA_TYPES.json, MEDIA_TYPES.yaml)
  @ApiOkResponse({
    description: 'The document, in the media type of its format',
    headers: {
      ETag: {
        description: 'A live export: `"<revision>"`, for an import\'s If-Match',
        schema: { type: 'string' },
      },
      ...REVISION_HEADER_DOC,
      [KEYS_HEADER]: {
        description: 'How many keys the document holds (a client can size a progress bar by it)',
        schema: { type: 'integer', minimum: 0 },
      },
    },
    content: {
      [MEDIA_TYPES.dotenv]: { schema: { type: 'string' }, example: DOTENV_EXAMPLE },
      [MEDIA_TYPES.json]: { schema: { type: 'object' } },
      [MEDIA_TYPES.yaml]: { schema: { type: 'string' } },
    },
  })
  @ApiProblemResponses(
    [400, 'Invalid query, or asOfRevision ahead of the namespace (VALIDATION_FAILED)'],
    NOT_FOUND,
    [
      409,
      'Keys that collide in this format, or a value it cannot carry; errors name the keys (EXPORT_CONFLICT)',
    ],
    [
      410,
      'asOfRevision is older than the history kept; `revision` is the oldest readable (REVISION_COMPACTED)',
    ],
  )
  async exportEntries(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Query() query: ExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { body, revision, keys } = await this.exports.export(caller, audit, namespaceId, query);
    sendRevision(reply, revision);
    void reply.header(KEYS_HEADER, String(keys));
    if (query.asOfRevision === undefined) {
      void reply.header('ETag', etagOf(revision));
    }
    void reply.type(`${MEDIA_TYPES[query.format]}; charset=utf-8`);
    return body;
  }

  @Post('import')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(KvPermission.EntryRead, KvPermission.EntryWrite)
  @Audited(AuditAction.WRITE, 'nsId')
  @AcceptsDocumentBody()
  @ApiOperation({
    summary: 'Import a dotenv, JSON or YAML document in one transaction, or plan it (dryRun)',
    description:
      "dotenv: each variable under its name as written, a STRING. JSON and YAML: objects nest into `/` segments; leaves keep their JSON type (string, number, boolean; arrays and empty objects as JSON; null is refused). Every key goes under `prefix/` when given. A key already holding the same type and value is left as it is; with `prune`, live keys under the prefix (of the namespace, without one) that the document does not name are deleted. All or nothing, with the validation and limits of a bulk set (at most 1000 entries; a bad item → 400 naming it by index and key, nothing written). The answer is the plan applied: keys and versions, never values; a dry run answers the same plan and changes nothing. Needs kv-entry:read (the plan tells whether values are equal) and, with prune, kv-entry:delete. Guards, checked inside the transaction once its changes hold the namespace's revision (so no other write can come between the check and the commit): `expectedRevision` → 409 REVISION_CONFLICT, and If-Match (`\"<revision>\"` as an export's ETag, or `*`) → 412 PRECONDITION_FAILED, as entries answer `expectedVersion` and If-Match; either problem carries the namespace's current revision in `revision`. A dry run checks them against the revision it plans from. X-KV-Revision (and the plan's `revision`): the revision after the import, or that planned from.",
  })
  @ApiParam(NAMESPACE_PARAM)
  @ApiBody({
    description: 'The document, as text/plain in the format of `format`',
    schema: { type: 'string' },
    examples: { dotenv: { summary: 'Two variables', value: DOTENV_EXAMPLE } },
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'The namespace\'s revision as an entity tag (`"41"`, a live export\'s ETag) or `*`: otherwise 412, nothing written',
  })
  @ApiOkResponse({ type: ImportPlanDto, headers: REVISION_HEADER_DOC })
  @ApiProblemResponses(
    [
      400,
      'A document that does not parse, or an invalid item; errors name each (VALIDATION_FAILED)',
    ],
    NOT_FOUND,
    [
      409,
      'The namespace is not at expectedRevision; `revision` is its current one (REVISION_CONFLICT)',
    ],
    [
      412,
      "If-Match does not name the namespace's revision; `revision` is its current one (PRECONDITION_FAILED)",
    ],
    [
      413,
      'A value exceeds KV_MAX_VALUE_BYTES (VALUE_TOO_LARGE) or the body the body limit (PAYLOAD_TOO_LARGE)',
    ],
    [415, 'Body is not text/plain (UNSUPPORTED_MEDIA_TYPE)'],
  )
  async importEntries(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Query() query: ImportQueryDto,
    @Body() document: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportPlanDto> {
    const plan = await this.imports.import(caller, audit, namespaceId, query, document, ifMatch);
    sendRevision(reply, plan.revision);
    return plan;
  }
}
