import { ArgumentMetadata, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorCode } from '../errors/error-code.enum';
import { FieldError, KvException } from '../errors/kv.exception';
import { outlineFreeForm, restoreFreeForm } from './free-form-json';
import { jsonShapeProblem } from './json-shape';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Rejects bodies the transformation cannot survive before it runs, and keeps free-form JSON
 * (values, metadata) out of its reach. The caller and audit context (custom decorators) and
 * string path parameters are given back as they are, at once: every request has several, and
 * Nest's pipe takes two awaits for each even when it has nothing to do.
 */
class KvValidationPipe implements PipeTransform {
  constructor(private readonly pipe: ValidationPipe) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom' || (metadata.type === 'param' && metadata.metatype === String)) {
      return value;
    }
    return metadata.type === 'body'
      ? this.transformBody(value, metadata)
      : (this.pipe.transform(value, metadata) as Promise<unknown>);
  }

  private async transformBody(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problem = jsonShapeProblem(value);
    if (problem !== undefined) {
      throw new KvException(ErrorCode.VALIDATION_FAILED, `${problem.field} ${problem.message}`, [
        problem,
      ]);
    }
    const type = metadata.metatype;
    const result = (await this.pipe.transform(outlineFreeForm(type, value), metadata)) as unknown;
    return restoreFreeForm(type, value, result);
  }
}

/**
 * The global pipe: unknown fields, wrong types, bodies nested too deep and numbers out of
 * range are 400 VALIDATION_FAILED naming each field. Messages never quote the submitted value.
 */
export function createValidationPipe(): PipeTransform {
  const pipe = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      const detail = fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return new KvException(ErrorCode.VALIDATION_FAILED, detail || 'Invalid request', fieldErrors);
    },
  });
  return new KvValidationPipe(pipe);
}
