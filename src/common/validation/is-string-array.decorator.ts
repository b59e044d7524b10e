import { ValidationOptions, registerDecorator } from 'class-validator';

/**
 * An array of strings, checked in one call: `@IsString({ each: true })` runs class-validator's
 * whole machinery once per item, which for a thousand keys cost more than reading them.
 */
export function IsStringArray(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStringArray',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'each value in $property must be a string', ...options },
      // What is not an array at all is for @IsArray() to report.
      validator: {
        validate: (value: unknown) =>
          !Array.isArray(value) || value.every((item) => typeof item === 'string'),
      },
    });
}
