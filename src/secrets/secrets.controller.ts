import { Body, Controller, Headers, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AuditAction } from '../audit/audit-action.enum';
import { Audit } from '../audit/audit-context.decorator';
import type { AuditContext } from '../audit/audit-context';
import { Audited } from '../audit/audited.decorator';
import { ErrorCode } from '../common/errors/error-code.enum';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.decorator';
import { KvException } from '../common/errors/kv.exception';
import { createValidationPipe } from '../common/validation/validation.pipe';
import { uuidParam } from '../common/validation/uuid.pipe';
import { EntryDto } from '../entries/dto/entry.dto';
import { KvPermission } from '../permissions/kv-permission.enum';
import type { Principal as Caller } from '../permissions/principal';
import { Principal } from '../permissions/principal.decorator';
import { RequirePermissions } from '../permissions/require-permissions.decorator';
import { RollbackSecretDto } from './dto/rollback-secret.dto';
import { RotateSecretDto } from './dto/rotate-secret.dto';
import { splitSubResource } from './entry-sub-resource';
import { SecretsService } from './secrets.service';

const ACTIONS = ['rotate', 'rollback'] as const;
const validation = createValidationPipe();

@ApiTags('secrets')
@ApiExtraModels(RotateSecretDto, RollbackSecretDto)
@Controller(':nsId/entries')
export class SecretsController {
  constructor(private readonly secrets: SecretsService) {}

  // Fastify allows one wildcard route per method, so `{key}/rotate` and `{key}/rollback`
  // share it; keys cannot end in either word, which keeps this unambiguous.
  @Post('*')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(KvPermission.SecretRotate)
  @Audited(
    (path) =>
      splitSubResource(path, ACTIONS).sub === 'rollback'
        ? AuditAction.ROLLBACK
        : AuditAction.ROTATE,
    'nsId',
    '*',
  )
  @ApiOperation({
    summary:
      'POST {key}/rotate stores a new value as a new version; POST {key}/rollback makes version n current as a new version',
  })
  @ApiParam({ name: 'nsId', format: 'uuid' })
  @ApiParam({
    name: 'key',
    description: 'Key path followed by /rotate or /rollback',
    example: 'db/password/rotate',
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'An ETag ("<version>"): change only if it is current, else 412',
  })
  @ApiBody({
    schema: {
      oneOf: [{ $ref: getSchemaPath(RotateSecretDto) }, { $ref: getSchemaPath(RollbackSecretDto) }],
    },
  })
  @ApiOkResponse({ type: EntryDto })
  @ApiProblemResponses(
    [400, 'Invalid input (VALIDATION_FAILED) or a plain namespace (NOT_A_SECRET_NAMESPACE)'],
    [
      404,
      'No such namespace, entry or version (NAMESPACE_NOT_FOUND, ENTRY_NOT_FOUND, VERSION_NOT_FOUND)',
    ],
    [409, 'expectedVersion is not the current version (VERSION_CONFLICT)'],
    412,
    413,
    415,
    503,
  )
  async changeSecret(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Param('*') path: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<EntryDto> {
    const { key, sub } = splitSubResource(path, ACTIONS);
    if (sub === 'rotate') {
      const dto = (await validation.transform(body, {
        type: 'body',
        metatype: RotateSecretDto,
      })) as RotateSecretDto;
      return this.secrets.rotate(caller, audit, namespaceId, key, dto, ifMatch);
    }
    if (sub === 'rollback') {
      const dto = (await validation.transform(body, {
        type: 'body',
        metatype: RollbackSecretDto,
      })) as RollbackSecretDto;
      return this.secrets.rollback(caller, audit, namespaceId, key, dto, ifMatch);
    }
    throw new KvException(
      ErrorCode.ROUTE_NOT_FOUND,
      'POST an entry path ending in /rotate or /rollback',
    );
  }
}
