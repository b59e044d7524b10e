import { Controller, ExecutionContext, Get, HttpCode, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Principal } from '../permissions/principal';
import { AuditAction } from './audit-action.enum';
import { AuditGuard } from './audit.guard';
import { Audited } from './audited.decorator';

const NS = '0b6b7f53-3f7a-4b55-9a43-1f1c8f0f7a10';

@Controller()
class Routes {
  @Get()
  @Audited(AuditAction.READ, 'nsId', 'key')
  read(): void {}

  @Post()
  @Audited(AuditAction.WRITE, 'nsId')
  create(): void {}

  @Post()
  @HttpCode(200)
  @Audited(AuditAction.ROTATE, 'nsId', 'key')
  rotate(): void {}

  @Get()
  health(): void {}
}

function call(
  handler: keyof Routes,
  method: string,
  principal?: Principal,
): Partial<FastifyRequest> {
  return { method, id: 'req-1', params: { nsId: NS, key: 'a/b' }, principal };
}

function run(sut: AuditGuard, handler: keyof Routes, request: Partial<FastifyRequest>): boolean {
  const context = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return sut.canActivate(context);
}

describe('AuditGuard', () => {
  const alice = new Principal('alice', [], ['app']);
  let sut: AuditGuard;

  beforeEach(() => {
    sut = new AuditGuard(new Reflector());
  });

  it('opens the context of an audited route from its URL and the verified caller', () => {
    const request = call('read', 'GET', alice);
    expect(run(sut, 'read', request)).toBe(true);
    expect(request.auditContext?.record(true, 200)).toMatchObject({
      action: AuditAction.READ,
      namespace_id: NS,
      key_path: 'a/b',
      user_id: 'alice',
      request_id: 'req-1',
    });
  });

  it('takes the status of success from @HttpCode, else 201 for POST and 200 for the rest', () => {
    const read = call('read', 'GET', alice);
    const create = call('create', 'POST', alice);
    const rotate = call('rotate', 'POST', alice);
    run(sut, 'read', read);
    run(sut, 'create', create);
    run(sut, 'rotate', rotate);
    expect(read.auditContext?.successStatus).toBe(200);
    expect(create.auditContext?.successStatus).toBe(201);
    expect(rotate.auditContext?.successStatus).toBe(200);
  });

  it('records no caller when the route was reached without one', () => {
    const request = call('read', 'GET');
    run(sut, 'read', request);
    expect(request.auditContext?.userId).toBeNull();
  });

  it('opens nothing for a route that is not audited, and refuses nothing', () => {
    const request = call('health', 'GET');
    expect(run(sut, 'health', request)).toBe(true);
    expect(request.auditContext).toBeUndefined();
  });
});
