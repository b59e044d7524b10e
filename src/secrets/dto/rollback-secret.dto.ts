import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { ExpectedVersion, MAX_VERSION } from '../../entries/dto/entry-field.decorators';

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

  @ExpectedVersion('Roll back only if the current version is this; else 409 VERSION_CONFLICT')
  expectedVersion?: number;
}
