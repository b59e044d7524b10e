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
import { ApiProblemResponses } from '../common/errors/api-problem-responses.decorator';
import { Page } from '../common/pagination/page';
import { uuidParam } from '../common/validation/uuid.pipe';
import { CreateNamespaceDto } from './dto/create-namespace.dto';
import { ListNamespacesQueryDto } from './dto/list-namespaces-query.dto';
import { NamespacePageDto } from './dto/namespace-page.dto';
import { NamespaceDto } from './dto/namespace.dto';
import { UpdateNamespaceDto } from './dto/update-namespace.dto';
import { NamespacesService } from './namespaces.service';

const ID = { name: 'id', format: 'uuid', description: 'Namespace id' } as const;

@ApiTags('namespaces')
@ApiProblemResponses(503)
@Controller('namespaces')
export class NamespacesController {
  constructor(private readonly namespaces: NamespacesService) {}

  @Get()
  @ApiOperation({ summary: 'List namespaces in byte order of name' })
  @ApiOkResponse({ type: NamespacePageDto })
  @ApiProblemResponses(400)
  listNamespaces(@Query() query: ListNamespacesQueryDto): Promise<Page<NamespaceDto>> {
    return this.namespaces.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a namespace' })
  @ApiParam(ID)
  @ApiOkResponse({ type: NamespaceDto })
  @ApiProblemResponses(400, [404, 'No such namespace (NAMESPACE_NOT_FOUND)'])
  getNamespace(@Param('id', uuidParam('id')) id: string): Promise<NamespaceDto> {
    return this.namespaces.get(id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a namespace' })
  @ApiCreatedResponse({ type: NamespaceDto })
  @ApiProblemResponses(
    400,
    [409, 'The application already has a namespace of this name (NAMESPACE_NAME_TAKEN)'],
    413,
    415,
  )
  createNamespace(@Body() dto: CreateNamespaceDto): Promise<NamespaceDto> {
    return this.namespaces.create(dto);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Update name, description or defaultTtlSeconds of a namespace' })
  @ApiParam(ID)
  @ApiOkResponse({ type: NamespaceDto })
  @ApiProblemResponses(
    [
      400,
      'Invalid input, or an attempt to change applicationId or isSecretNamespace (VALIDATION_FAILED)',
    ],
    [404, 'No such namespace (NAMESPACE_NOT_FOUND)'],
    [409, 'The application already has a namespace of this name (NAMESPACE_NAME_TAKEN)'],
    413,
    415,
  )
  updateNamespace(
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: UpdateNamespaceDto,
  ): Promise<NamespaceDto> {
    return this.namespaces.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a namespace with its entries and history; its audit rows stay' })
  @ApiParam(ID)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(400, [404, 'No such namespace (NAMESPACE_NOT_FOUND)'])
  deleteNamespace(@Param('id', uuidParam('id')) id: string): Promise<void> {
    return this.namespaces.remove(id);
  }
}
