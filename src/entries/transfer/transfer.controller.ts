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
  ApiBody,
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
import { uuidParam } from '../../common/validation/uuid.pipe';
import { KvPermission } from '../../permissions/kv-permission.enum';
import type { Principal as Caller } from '../../permissions/principal';
import { Principal } from '../../permissions/principal.decorator';
import { RequirePermissions } from '../../permissions/require-permissions.decorator';
import { NAMESPACE_PARAM } from '../dto/entry-route-params';
import { ExportQueryDto } from './dto/export-query.dto';
import { ImportPlanDto } from './dto/import-plan.dto';
import { ImportQueryDto } from './dto/import-query.dto';
import { ExportService } from './export.service';
import { ImportService } from './import.service';
import { MEDIA_TYPES } from './transfer-format.enum';

const NOT_FOUND: [number, string] = [404, 'No such namespace (NAMESPACE_NOT_FOUND)'];
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
      'dotenv: one `NAME=value` line per entry, sorted by name; NAME is the key below `prefix`, upper-cased, with every character other than A-Z and 0-9 (`/` included) turned into `_` (`config/database/host` → `CONFIG_DATABASE_HOST`); values are written so that the `dotenv` parser reads them back exactly (non-string values as JSON text). JSON and YAML: objects nested by key segment, values with their JSON types (BINARY as its base64 string, JSON values as they are). Keys that collide once flattened, a key that is also the parent of another, or a value dotenv cannot carry → 409 EXPORT_CONFLICT naming the keys. One audit record lists the keys exported, never a value.',
  })
  @ApiParam(NAMESPACE_PARAM)
  @ApiProduces(MEDIA_TYPES.dotenv, MEDIA_TYPES.json, MEDIA_TYPES.yaml)
  @ApiOkResponse({
    description: 'The document, in the media type of its format',
    content: {
      [MEDIA_TYPES.dotenv]: { schema: { type: 'string' }, example: DOTENV_EXAMPLE },
      [MEDIA_TYPES.json]: { schema: { type: 'object' } },
      [MEDIA_TYPES.yaml]: { schema: { type: 'string' } },
    },
  })
  @ApiProblemResponses(400, NOT_FOUND, [
    409,
    'Keys that collide in this format, or a value it cannot carry; errors name the keys (EXPORT_CONFLICT)',
  ])
  async exportEntries(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Query() query: ExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const document = await this.exports.export(
      caller,
      audit,
      namespaceId,
      query.format,
      query.prefix,
    );
    void reply.type(`${MEDIA_TYPES[query.format]}; charset=utf-8`);
    return document;
  }

  @Post('import')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(KvPermission.EntryRead, KvPermission.EntryWrite)
  @Audited(AuditAction.WRITE, 'nsId')
  @AcceptsDocumentBody()
  @ApiOperation({
    summary: 'Import a dotenv, JSON or YAML document in one transaction, or plan it (dryRun)',
    description:
      'dotenv: each variable under its name as written, a STRING. JSON and YAML: objects nest into `/` segments; leaves keep their JSON type (string, number, boolean; arrays and empty objects as JSON; null is refused). Every key goes under `prefix/` when given. A key already holding the same type and value is left as it is; with `prune`, live keys under the prefix (of the namespace, without one) that the document does not name are deleted. All or nothing, with the validation and limits of a bulk set (at most 1000 entries; a bad item → 400 naming it by index and key, nothing written). The answer is the plan applied: keys and versions, never values; a dry run answers the same plan and changes nothing. Needs kv-entry:read (the plan tells whether values are equal) and, with prune, kv-entry:delete.',
  })
  @ApiParam(NAMESPACE_PARAM)
  @ApiBody({
    description: 'The document, as text/plain in the format of `format`',
    schema: { type: 'string' },
    examples: { dotenv: { summary: 'Two variables', value: DOTENV_EXAMPLE } },
  })
  @ApiOkResponse({ type: ImportPlanDto })
  @ApiProblemResponses(
    [
      400,
      'A document that does not parse, or an invalid item; errors name each (VALIDATION_FAILED)',
    ],
    NOT_FOUND,
    [
      413,
      'A value exceeds KV_MAX_VALUE_BYTES (VALUE_TOO_LARGE) or the body the body limit (PAYLOAD_TOO_LARGE)',
    ],
    [415, 'Body is not text/plain (UNSUPPORTED_MEDIA_TYPE)'],
  )
  importEntries(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Query() query: ImportQueryDto,
    @Body() document: unknown,
  ): Promise<ImportPlanDto> {
    return this.imports.import(caller, audit, namespaceId, query, document);
  }
}
