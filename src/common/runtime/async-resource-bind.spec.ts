import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { installAsyncResourceBind } from './async-resource-bind';

describe('installAsyncResourceBind', () => {
  const original = Object.getOwnPropertyDescriptor(AsyncResource.prototype, 'bind')!;

  beforeAll(() => installAsyncResourceBind());
  afterAll(() => Object.defineProperty(AsyncResource.prototype, 'bind', original));

  it('runs the bound function in the async context it was bound in', () => {
    const storage = new AsyncLocalStorage<string>();
    const sut = storage.run('bound here', () => AsyncResource.bind(() => storage.getStore()));
    expect(storage.run('called here', () => sut())).toBe('bound here');
    expect(sut()).toBe('bound here');
  });

  it("passes arguments and the caller's this, or the given thisArg", () => {
    function describeCall(this: unknown, a: number, b: number) {
      return { self: this, sum: a + b };
    }
    const owner = { describe: AsyncResource.bind(describeCall) };
    expect(owner.describe(1, 2)).toEqual({ self: owner, sum: 3 });
    // Node's own signature takes a thisArg; @types/node leaves it out.
    const bindWithThis = AsyncResource.prototype.bind as unknown as (
      this: AsyncResource,
      fn: typeof describeCall,
      thisArg: unknown,
    ) => (a: number, b: number) => unknown;
    const fixed = bindWithThis.call(new AsyncResource('test'), describeCall, 'fixed');
    expect(fixed(2, 3)).toEqual({ self: 'fixed', sum: 5 });
  });

  it('keeps the length of the function and adds no asyncResource property', () => {
    const sut = AsyncResource.bind((a: number, b: number) => a + b);
    expect(sut.length).toBe(2);
    expect('asyncResource' in sut).toBe(false);
  });

  it('rejects what is not a function', () => {
    expect(() => new AsyncResource('test').bind(42 as never)).toThrow(TypeError);
  });
});
