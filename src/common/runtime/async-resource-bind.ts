import { AsyncResource } from 'node:async_hooks';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Node 20's AsyncResource#bind defines a deprecated `asyncResource` accessor (DEP0172) on
 * every function it binds, through two util.deprecate wrappers that cost ~9 µs per call
 * (nodejs/node#58218). Nest binds twice per intercepted request, so on this service that was
 * a tenth of a cached GET. Node 25 dropped the accessor (nodejs/node#58618, End-of-Life);
 * this installs that version of bind: same async scope, same `this`, same `length`.
 */
export function installAsyncResourceBind(): void {
  function bind(this: AsyncResource, fn: AnyFunction, thisArg?: unknown): AnyFunction {
    if (typeof fn !== 'function') {
      throw new TypeError('The "fn" argument must be of type function');
    }
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the scope the function runs in
    const resource = this;
    const bound: AnyFunction =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]): unknown {
            return resource.runInAsyncScope(fn, this, ...args);
          }
        : (resource.runInAsyncScope.bind(resource, fn, thisArg) as AnyFunction);
    Object.defineProperty(bound, 'length', {
      configurable: true,
      enumerable: false,
      value: fn.length,
      writable: false,
    });
    return bound;
  }
  AsyncResource.prototype.bind = bind as AsyncResource['bind'];
}
