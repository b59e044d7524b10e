import type { FastifyBaseLogger, LogLevel } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type Level = Exclude<LogLevel, 'silent'>;

/** A pino logger as Fastify holds it. */
export type PinoLike = FastifyBaseLogger & { isLevelEnabled(level: string): boolean };

/**
 * A request's logger that becomes a real pino child (with the request id bound) only when a
 * line is actually written. Fastify makes one per request, and at the default level a
 * successful request writes nothing, so the child and its bindings were pure cost (~2 % of a
 * cached GET). Methods live on the prototype: an instance is three fields.
 */
export class LazyRequestLogger implements FastifyBaseLogger {
  private own?: PinoLike;

  constructor(
    private readonly parent: PinoLike,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return (this.own ?? this.parent).level;
  }

  set level(level: string) {
    this.logger().level = level;
  }

  isLevelEnabled(level: Level): boolean {
    return (this.own ?? this.parent).isLevelEnabled(level);
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }

  error(...args: unknown[]): void {
    this.write('error', args);
  }

  warn(...args: unknown[]): void {
    this.write('warn', args);
  }

  info(...args: unknown[]): void {
    this.write('info', args);
  }

  debug(...args: unknown[]): void {
    this.write('debug', args);
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger().child(bindings, options);
  }

  private logger(): PinoLike {
    return (this.own ??= this.parent.child(this.bindings, this.options) as PinoLike);
  }

  private write(level: Level, args: unknown[]): void {
    if (this.isLevelEnabled(level)) {
      const logger = this.logger();
      Reflect.apply(logger[level], logger, args);
    }
  }
}
