import { ValidationOptions, registerDecorator } from 'class-validator';

/** Text PostgreSQL stores and returns unchanged: well-formed UTF-16 and no NUL character. */
export function isCleanText(value: unknown): value is string {
  return typeof value === 'string' && value.isWellFormed() && !value.includes('\u0000');
}

/** Rejects strings with lone surrogates or NUL characters, which cannot round-trip. */
export function IsCleanText(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCleanText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must not contain NUL or unpaired surrogate characters',
        ...options,
      },
      validator: { validate: isCleanText },
    });
}
