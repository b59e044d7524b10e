import {
  BadRequestException,
  HttpException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { ErrorCode } from './error-code.enum';
import { statusOf } from './error-status';
import { KvException } from './kv.exception';
import { toProblem } from './problem.filter';

describe('toProblem', () => {
  const sut = { toProblem };

  it('renders a KvException with its code, status and field errors', () => {
    const problem = sut.toProblem(
      new KvException(ErrorCode.VERSION_CONFLICT, 'expected version 3, found 4', [
        { field: 'expectedVersion', message: 'is stale' },
      ]),
    );
    expect(problem).toEqual({
      type: 'urn:kv-service:problem:version-conflict',
      title: 'Version conflict',
      status: 409,
      detail: 'expected version 3, found 4',
      code: ErrorCode.VERSION_CONFLICT,
      errors: [{ field: 'expectedVersion', message: 'is stale' }],
    });
  });

  it('gives every code a 4xx or 5xx status', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(statusOf(code)).toBeGreaterThanOrEqual(400);
    }
  });

  it('never repeats the text of framework errors, which may quote the body', () => {
    const problem = sut.toProblem(new BadRequestException('Unexpected token s in "secret-marker"'));
    expect(problem.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(JSON.stringify(problem)).not.toContain('secret-marker');
  });

  it.each([
    [new NotFoundException('Cannot GET /x'), 404, ErrorCode.ROUTE_NOT_FOUND],
    [new PayloadTooLargeException(), 413, ErrorCode.PAYLOAD_TOO_LARGE],
    [new HttpException('unsupported', 415), 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE],
    [new HttpException('ThrottlerException: Too Many Requests', 429), 429, ErrorCode.RATE_LIMITED],
    [
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      503,
      ErrorCode.SERVICE_UNAVAILABLE,
    ],
    [
      Object.assign(new Error('deadlock detected'), { code: '40P01' }),
      503,
      ErrorCode.SERVICE_UNAVAILABLE,
    ],
    [
      Object.assign(new Error('could not serialize access'), { code: '40001' }),
      503,
      ErrorCode.SERVICE_UNAVAILABLE,
    ],
    [
      Object.assign(new Error('violates foreign key constraint'), { code: '23503' }),
      404,
      ErrorCode.NAMESPACE_NOT_FOUND,
    ],
  ])('maps %p to %d %s', (error, status, code) => {
    expect(sut.toProblem(error)).toMatchObject({ status, code });
  });

  it('turns anything unexpected into a bare 500', () => {
    const problem = sut.toProblem(new Error('relation "secrets" does not exist at SELECT ...'));
    expect(problem).toMatchObject({
      status: 500,
      code: ErrorCode.INTERNAL_ERROR,
      detail: 'An unexpected error occurred',
    });
    expect(JSON.stringify(problem)).not.toContain('relation');
  });
});
