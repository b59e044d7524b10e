import {
  EntryValue,
  EntryValueType,
  ExpectedVersion,
} from '../../entries/dto/entry-field.decorators';
import type { ValueType } from '../../entries/model/value-type.enum';

export class RotateSecretDto {
  @EntryValue()
  value: unknown;

  @EntryValueType(false, 'Defaults to the current valueType')
  valueType?: ValueType;

  @ExpectedVersion('Rotate only if the current version is this; else 409 VERSION_CONFLICT')
  expectedVersion?: number;
}
