import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.decorator';
import { Page } from '../common/pagination/page';
import { KvPermission } from '../permissions/kv-permission.enum';
import type { Principal as Caller } from '../permissions/principal';
import { Principal } from '../permissions/principal.decorator';
import { RequirePermissions } from '../permissions/require-permissions.decorator';
import { AuditAction } from './audit-action.enum';
import { AuditQueryService } from './audit-query.service';
import { Audited } from './audited.decorator';
import { AuditLogDto } from './dto/audit-log.dto';
import { AuditPageDto } from './dto/audit-page.dto';
import { AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get()
  @RequirePermissions(KvPermission.AuditRead)
  @Audited(AuditAction.AUDIT_READ)
  @ApiOperation({ summary: "Search the audit log of the caller's applications, newest first" })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiProblemResponses(400, 503)
  searchAudit(
    @Principal() caller: Caller,
    @Query() query: AuditQueryDto,
  ): Promise<Page<AuditLogDto>> {
    return this.audit.search(caller, query);
  }
}
