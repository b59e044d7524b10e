import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_VERSION } from '../../entries/dto/set-entry.dto';

export class RollbackSecretDto {
  @ApiProperty({
    minimum: 1,
    description: 'The version whose value becomes current, as a new version',
    example: 2,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version: number;

  @ApiPropertyOptional({
    minimum: 1,
    description: 'Roll back only if the current version is this; else 409 VERSION_CONFLICT',
    example: 4,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_VERSION)
  expectedVersion?: number;
}
