import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { ExpectedVersion } from '../../entries/dto/entry-field.decorators';
import { MAX_VERSION } from '../../entries/model/max-version';

export class RollbackSecretDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_VERSION,
    description: 'The version whose value becomes current, as a new version',
    example: 1,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version: number;

  @ExpectedVersion('Roll back only if the current version is this; else 409 VERSION_CONFLICT')
  expectedVersion?: number;
}
