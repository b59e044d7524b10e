import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { APPLICATION_ID } from '../namespace-rules';

export class ListNamespacesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only namespaces of this application', example: 'app-123' })
  @IsOptional()
  @IsString()
  @Matches(APPLICATION_ID, { message: `applicationId must match ${APPLICATION_ID.source}` })
  applicationId?: string;
}
