import { Controller, ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.enum';
import { AuditContext } from '../audit/audit-context';
import type { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import type { KvException } from '../common/errors/kv.exception';
import { FailedAuthLimiter } from '../rate-limit/failed-auth-limiter';
import { KvPermission } from './kv-permission.enum';
import { PermissionsGuard } from './permissions.guard';
import { Principal } from './principal';
import { Public } from './public.decorator';
import { RequirePermissions } from './require-permissions.decorator';

@Controller()
class Routes {
  @Get()
  @Public()
  health(): void {}

  @Get()
  @RequirePermissions(KvPermission.EntryRead)
  read(): void {}

  @Get()
  closed(): void {}
}

interface Call {
  context: ExecutionContext;
  request: Partial<FastifyRequest>;
  headers: Record<string, string>;
}

function call(handler: keyof Routes, principal?: Principal, audited = true): Call {
  const headers: Record<string, string> = {};
  const request: Partial<FastifyRequest> = {
    ip: '203.0.113.7',
    principal,
    auditContext: audited
      ? new AuditContext(AuditAction.READ, 'req-1', null, 'a/b', principal?.sub ?? null, 200)
      : undefined,
  };
  const reply = {
    header: (name: string, value: string) => {
      headers[name] = value;
      return reply;
    },
  } as unknown as FastifyReply;
  const context = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  return { context, request, headers };
}

/** What the guard threw or rejected with (guards refuse synchronously when they can). */
async function refusal(guard: () => boolean | Promise<boolean>): Promise<KvException> {
  try {
    await guard();
  } catch (error) {
    return error as KvException;
  }
  throw new Error('the guard let the request through');
}

describe('PermissionsGuard', () => {
  const reader = new Principal('alice', [KvPermission.EntryRead], ['app']);
  const writer = new Principal('bob', [KvPermission.EntryWrite], ['app']);
  let record: jest.MockedFunction<AuditService['record']>;
  let sut: PermissionsGuard;

  beforeEach(() => {
    record = jest.fn<ReturnType<AuditService['record']>, Parameters<AuditService['record']>>();
    record.mockResolvedValue();
    sut = new PermissionsGuard(
      new Reflector(),
      { record } as unknown as AuditService,
      new FailedAuthLimiter(1, 2),
    );
  });

  it('lets anyone through a public route', () => {
    expect(sut.canActivate(call('health').context)).toBe(true);
  });

  it('lets a caller with every declared permission through at once, without an audit row', () => {
    expect(sut.canActivate(call('read', reader).context)).toBe(true);
    expect(record).not.toHaveBeenCalled();
  });

  it('keeps a route that declares no permission closed, whoever calls', async () => {
    const error = await refusal(() => sut.canActivate(call('closed', reader).context));
    expect(error.code).toBe(ErrorCode.FORBIDDEN);
  });

  it('refuses a route that was not authenticated (a wiring fault) with 401', async () => {
    const error = await refusal(() => sut.canActivate(call('read').context));
    expect(error.code).toBe(ErrorCode.UNAUTHORIZED);
  });

  it('answers a missing permission 403 naming it, once its audit row is durable', async () => {
    const { context, request } = call('read', writer);
    const error = await refusal(() => sut.canActivate(context));
    expect(error.code).toBe(ErrorCode.FORBIDDEN);
    expect(error.detail).toBe(`The token lacks ${KvPermission.EntryRead}`);
    expect(record).toHaveBeenCalledWith(request.auditContext, false, 403);
  });

  it('refuses without an audit row on a route that is not audited', async () => {
    const error = await refusal(() => sut.canActivate(call('read', writer, false).context));
    expect(error.code).toBe(ErrorCode.FORBIDDEN);
    expect(record).not.toHaveBeenCalled();
  });

  it("answers 429 with Retry-After, unaudited, past the address's budget of failures", async () => {
    for (let i = 0; i < 2; i += 1) {
      expect((await refusal(() => sut.canActivate(call('read', writer).context))).code).toBe(
        ErrorCode.FORBIDDEN,
      );
    }
    const { context, headers } = call('read', writer);
    const error = await refusal(() => sut.canActivate(context));
    expect(error.code).toBe(ErrorCode.RATE_LIMITED);
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
    expect(record).toHaveBeenCalledTimes(2);
  });

  it('fails closed when the audit row of a refusal cannot be written', async () => {
    record.mockRejectedValue(new Error('audit down'));
    await expect(sut.canActivate(call('read', writer).context)).rejects.toThrow('audit down');
  });
});
