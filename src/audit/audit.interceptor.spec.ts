import type { CallHandler } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { FastifyRequest } from 'fastify';
import { EMPTY, Observable, lastValueFrom, of, throwError } from 'rxjs';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { AuditAction } from './audit-action.enum';
import { AuditContext } from './audit-context';
import { AuditInterceptor } from './audit.interceptor';
import type { AuditService } from './audit.service';

const NAMESPACE = '3f1e4a55-6b7c-4d8e-9f00-112233445566';

type RecordFn = AuditService['record'];

/** The execution context of an HTTP request that carries this audit context (or none). */
function httpContext(auditContext?: AuditContext): ExecutionContextHost {
  const request: Pick<FastifyRequest, 'auditContext'> = { auditContext };
  return new ExecutionContextHost([request, {}]);
}

/** A handler whose observable is the one given. */
function handler<T>(result: Observable<T>): CallHandler<T> {
  return { handle: () => result };
}

/** Resolves after every pending microtask has run: a promise chain not awaited would be done. */
const afterMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('AuditInterceptor', () => {
  let record: jest.MockedFunction<RecordFn>;
  let audit: AuditContext;
  let sut: AuditInterceptor;

  beforeEach(() => {
    record = jest.fn<ReturnType<RecordFn>, Parameters<RecordFn>>(() => Promise.resolve());
    const service: Pick<AuditService, 'record'> = { record };
    sut = new AuditInterceptor(service as AuditService);
    audit = new AuditContext(AuditAction.WRITE, 'req-1', NAMESPACE, 'a/b', 'alice', 200);
  });

  it("records success with the context's success status as it is once the handler resolved", async () => {
    const body = { keyPath: 'a/b', version: 1 };
    const created = new Observable<typeof body>((subscriber) => {
      // A service decides the status while it runs (201 for a new entry on PUT).
      audit.succeedsWith(201);
      subscriber.next(body);
      subscriber.complete();
    });

    const result = await lastValueFrom(sut.intercept(httpContext(audit), handler(created)));

    expect(result).toBe(body);
    expect(record).toHaveBeenCalledTimes(1);
    expect(record).toHaveBeenCalledWith(audit, true, 201);
  });

  it('records success for a handler that completes without a value', async () => {
    await expect(
      lastValueFrom(sut.intercept(httpContext(audit), handler(EMPTY)), {
        defaultValue: 'nothing',
      }),
    ).resolves.toBeUndefined();
    expect(record).toHaveBeenCalledWith(audit, true, 200);
  });

  it.each([
    [
      'a KvException with its code',
      new KvException(ErrorCode.NAMESPACE_NOT_FOUND, 'no such namespace'),
      404,
    ],
    [
      'a version conflict',
      new KvException(ErrorCode.VERSION_CONFLICT, 'expected version 3, found 4'),
      409,
    ],
    ['an unknown error', new Error('boom'), 500],
  ])(
    "records failure with the problem's status and rethrows the same error: %s",
    async (_case, error, status) => {
      const failing = handler(throwError(() => error));

      await expect(lastValueFrom(sut.intercept(httpContext(audit), failing))).rejects.toBe(error);
      expect(record).toHaveBeenCalledTimes(1);
      expect(record).toHaveBeenCalledWith(audit, false, status);
    },
  );

  it('passes a request without an audit context through untouched', async () => {
    const untouched = of('value');

    const result = sut.intercept(httpContext(undefined), handler(untouched));

    expect(result).toBe(untouched);
    await expect(lastValueFrom(result)).resolves.toBe('value');
    expect(record).not.toHaveBeenCalled();
  });

  it('answers only once the record is durable', async () => {
    const order: string[] = [];
    let durable!: () => void;
    record.mockImplementation(() => {
      order.push('record started');
      return new Promise<void>((resolve) => {
        durable = () => {
          order.push('record durable');
          resolve();
        };
      });
    });

    const answered = lastValueFrom(sut.intercept(httpContext(audit), handler(of('value')))).then(
      (value) => {
        order.push('answered');
        return value;
      },
    );
    await afterMicrotasks();
    expect(order).toEqual(['record started']);

    durable();
    await expect(answered).resolves.toBe('value');
    expect(order).toEqual(['record started', 'record durable', 'answered']);
  });

  it('fails the call when its success record cannot be written', async () => {
    const unavailable = new KvException(
      ErrorCode.SERVICE_UNAVAILABLE,
      'The audit log cannot be written; the operation was not performed',
    );
    record.mockRejectedValue(unavailable);

    await expect(
      lastValueFrom(sut.intercept(httpContext(audit), handler(of('value')))),
    ).rejects.toBe(unavailable);
    expect(record).toHaveBeenCalledWith(audit, true, 200);
  });

  it('fails the call with the record error when a failed call cannot be recorded either', async () => {
    const unavailable = new KvException(ErrorCode.SERVICE_UNAVAILABLE, 'audit down');
    record.mockRejectedValue(unavailable);
    const failing = handler(
      throwError(() => new KvException(ErrorCode.NAMESPACE_NOT_FOUND, 'no such namespace')),
    );

    await expect(lastValueFrom(sut.intercept(httpContext(audit), failing))).rejects.toBe(
      unavailable,
    );
    expect(record).toHaveBeenCalledWith(audit, false, 404);
  });
});
