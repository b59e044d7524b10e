import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { VALUE_SCHEMA } from '../../entries/dto/entry.dto';
import { MAX_VERSION } from '../../entries/dto/set-entry.dto';
import { ValueType } from '../../entries/value-type.enum';

export class RotateSecretDto {
  @ApiProperty(VALUE_SCHEMA)
  @IsDefined({ message: 'value is required' })
  value: unknown;

  @ApiPropertyOptional({
    enum: ValueType,
    enumName: 'ValueType',
    description: 'Defaults to the current valueType',
  })
  @IsOptional()
  @IsEnum(ValueType)
  valueType?: ValueType;

  @ApiPropertyOptional({
    minimum: 1,
    description: 'Rotate only if the current version is this; else 409 VERSION_CONFLICT',
    example: 3,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_VERSION)
  expectedVersion?: number;
}
