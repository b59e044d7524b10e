import pino from 'pino';
import { Writable } from 'node:stream';
import { LazyRequestLogger, PinoLike } from './lazy-request-logger';

function capture(level: string): { root: PinoLike; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { root: pino({ level }, stream), lines };
}

describe('LazyRequestLogger', () => {
  it('makes no child until a line is written at an enabled level', () => {
    const { root, lines } = capture('info');
    const child = jest.spyOn(root, 'child');
    const sut = new LazyRequestLogger(root, { reqId: 'r-1' }, {});
    sut.debug({ detail: 1 }, 'not written');
    expect(child).not.toHaveBeenCalled();
    sut.info({ detail: 2 }, 'written');
    sut.warn('again');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([
      expect.objectContaining({ reqId: 'r-1', detail: 2, msg: 'written' }),
      expect.objectContaining({ reqId: 'r-1', msg: 'again' }),
    ]);
  });

  it('tells the level, and a level set on it applies to its own lines only', () => {
    const { root, lines } = capture('info');
    const sut = new LazyRequestLogger(root, { reqId: 'r-2' }, {});
    expect(sut.level).toBe('info');
    expect(sut.isLevelEnabled('debug')).toBe(false);
    sut.level = 'debug';
    sut.debug('now written');
    expect(root.level).toBe('info');
    expect(lines).toEqual([expect.objectContaining({ reqId: 'r-2', msg: 'now written' })]);
  });

  it('makes children that carry the request id', () => {
    const { root, lines } = capture('info');
    new LazyRequestLogger(root, { reqId: 'r-3' }, {}).child({ part: 'x' }).info('line');
    expect(lines).toEqual([expect.objectContaining({ reqId: 'r-3', part: 'x' })]);
  });
});
