import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCleanText } from '../../../common/validation/is-clean-text.decorator';
import { MAX_KEY_PATH_LENGTH } from '../../../common/validation/key-path';
import { TransferFormat } from '../transfer-format.enum';

export function DocumentFormat(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: TransferFormat, enumName: 'TransferFormat', default: 'dotenv' }),
    IsOptional(),
    IsEnum(TransferFormat, { message: 'format must be one of dotenv, json, yaml' }),
  );
}

export function DocumentPrefix(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, maxLength: MAX_KEY_PATH_LENGTH }),
    IsOptional(),
    IsString(),
    MaxLength(MAX_KEY_PATH_LENGTH),
    IsCleanText(),
  );
}

/** A query flag: `true` or `false`, default false. */
export function QueryFlag(name: string, description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: Boolean, default: false, description }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
    IsBoolean({ message: `${name} must be true or false` }),
  );
}
