import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuditAction } from '../audit/audit-action.enum';
import { Audit } from '../audit/audit-context.decorator';
import type { AuditContext } from '../audit/audit-context';
import { Audited } from '../audit/audited.decorator';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.decorator';
import { ApiExampleBody } from '../common/openapi/api-example-body.decorator';
import { Page } from '../common/pagination/page';
import { uuidParam } from '../common/validation/uuid.pipe';
import { KvPermission } from '../permissions/kv-permission.enum';
import type { Principal as Caller } from '../permissions/principal';
import { Principal } from '../permissions/principal.decorator';
import { RequirePermissions } from '../permissions/require-permissions.decorator';
import { CreateNamespaceDto } from './dto/create-namespace.dto';
import { ListNamespacesQueryDto } from './dto/list-namespaces-query.dto';
import { NamespaceByNameQueryDto } from './dto/namespace-by-name-query.dto';
import { NamespacePageDto } from './dto/namespace-page.dto';
import { NamespaceDto } from './dto/namespace.dto';
import { UpdateNamespaceDto } from './dto/update-namespace.dto';
import { NamespacesService } from './namespaces.service';

const ID = { name: 'id', format: 'uuid', description: 'Namespace id' } as const;
const NOT_FOUND: [number, string] = [
  404,
  'No such namespace, or one of an application the token does not grant (NAMESPACE_NOT_FOUND)',
];
const NAME_TAKEN: [number, string] = [
  409,
  'The application already has a namespace of this name (NAMESPACE_NAME_TAKEN)',
];

@ApiTags('namespaces')
@ApiProblemResponses(503)
@Controller('namespaces')
export class NamespacesController {
  constructor(private readonly namespaces: NamespacesService) {}

  @Get()
  @RequirePermissions(KvPermission.NamespaceRead)
  @Audited(AuditAction.LIST)
  @ApiOperation({
    summary: "List the namespaces of the token's applications in byte order of name",
  })
  @ApiOkResponse({ type: NamespacePageDto })
  @ApiProblemResponses(400)
  listNamespaces(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Query() query: ListNamespacesQueryDto,
  ): Promise<Page<NamespaceDto>> {
    return this.namespaces.list(caller, audit, query);
  }

  // A query rather than `{applicationId}:{name}` in every {nsId}: application ids may hold
  // ':', and ids stay the one spelling that paths, caches, audit rows and events carry.
  @Get('by-name')
  @RequirePermissions(KvPermission.NamespaceRead)
  @Audited(AuditAction.READ)
  @ApiOperation({
    summary: 'Find a namespace by its application and name',
    description:
      'The namespace named `name` of application `applicationId`. A namespace of an application the token does not grant answers 404 as a missing one does. Clients that name namespaces as `<applicationId>:<name>` (the kv CLI) resolve them here, then use the id.',
  })
  @ApiOkResponse({ type: NamespaceDto })
  @ApiProblemResponses(400, NOT_FOUND)
  getNamespaceByName(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Query() query: NamespaceByNameQueryDto,
  ): Promise<NamespaceDto> {
    return this.namespaces.getByName(caller, audit, query.applicationId, query.name);
  }

  @Get(':id')
  @RequirePermissions(KvPermission.NamespaceRead)
  @Audited(AuditAction.READ, 'id')
  @ApiOperation({ summary: 'Get a namespace' })
  @ApiParam(ID)
  @ApiOkResponse({ type: NamespaceDto })
  @ApiProblemResponses(400, NOT_FOUND)
  getNamespace(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<NamespaceDto> {
    return this.namespaces.get(caller, audit, id);
  }

  @Post()
  @RequirePermissions(KvPermission.NamespaceWrite)
  @Audited(AuditAction.NAMESPACE_CREATE)
  @ApiOperation({ summary: "Create a namespace for one of the token's applications" })
  @ApiExampleBody(CreateNamespaceDto, 'A secret namespace', {
    name: 'production-secrets',
    description: 'Production environment secrets',
    applicationId: 'app-123',
    isSecretNamespace: true,
  })
  @ApiCreatedResponse({ type: NamespaceDto })
  @ApiProblemResponses(
    400,
    [403, 'The token lacks kv-namespace:write or the application (FORBIDDEN)'],
    NAME_TAKEN,
    413,
    415,
  )
  createNamespace(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Body() dto: CreateNamespaceDto,
  ): Promise<NamespaceDto> {
    return this.namespaces.create(caller, audit, dto);
  }

  @Put(':id')
  @RequirePermissions(KvPermission.NamespaceWrite)
  @Audited(AuditAction.NAMESPACE_UPDATE, 'id')
  @ApiOperation({ summary: 'Update name, description or defaultTtlSeconds of a namespace' })
  @ApiParam(ID)
  @ApiExampleBody(UpdateNamespaceDto, 'A new description', {
    description: 'Secrets of the production environment',
  })
  @ApiOkResponse({ type: NamespaceDto })
  @ApiProblemResponses(
    [
      400,
      'Invalid input, or an attempt to change applicationId or isSecretNamespace (VALIDATION_FAILED)',
    ],
    NOT_FOUND,
    NAME_TAKEN,
    413,
    415,
  )
  updateNamespace(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: UpdateNamespaceDto,
  ): Promise<NamespaceDto> {
    return this.namespaces.update(caller, audit, id, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermissions(KvPermission.NamespaceDelete)
  @Audited(AuditAction.NAMESPACE_DELETE, 'id')
  @ApiOperation({ summary: 'Delete a namespace with its entries and history; its audit rows stay' })
  @ApiParam(ID)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(400, NOT_FOUND)
  deleteNamespace(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<void> {
    return this.namespaces.remove(caller, audit, id);
  }
}
