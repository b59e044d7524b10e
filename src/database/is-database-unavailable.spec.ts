import { QueryFailedError } from 'typeorm';
import {
  isDataException,
  isDatabaseUnavailable,
  isForeignKeyViolation,
  isUniqueViolation,
} from './is-database-unavailable';

function pgError(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`pg ${code}`), { code, ...extra });
}

describe('database error classification', () => {
  it.each([
    pgError('ECONNREFUSED'),
    pgError('57P01'),
    pgError('08006'),
    new Error('timeout exceeded when trying to connect'),
    new QueryFailedError('UPDATE', [], new Error('Query read timeout')),
    new Error('Connection terminated unexpectedly'),
    new QueryFailedError('SELECT 1', [], pgError('57P03')),
  ])('sees %p as the database being unavailable', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([pgError('23505'), pgError('22P02'), new Error('boom'), 'not an error', undefined])(
    'does not see %p as the database being unavailable',
    (error) => {
      expect(isDatabaseUnavailable(error)).toBe(false);
    },
  );

  it('recognises data exceptions through QueryFailedError', () => {
    expect(isDataException(new QueryFailedError('SELECT', [], pgError('22021')))).toBe(true);
    expect(isDataException(new QueryFailedError('SELECT', [], pgError('23505')))).toBe(false);
  });

  it('recognises a unique violation of one named constraint only', () => {
    const error = new QueryFailedError('INSERT', [], pgError('23505', { constraint: 'uq_a' }));
    expect(isUniqueViolation(error, 'uq_a')).toBe(true);
    expect(isUniqueViolation(error, 'uq_b')).toBe(false);
    expect(isUniqueViolation(new Error('x'), 'uq_a')).toBe(false);
  });

  it('recognises a foreign key violation, wrapped or raw', () => {
    expect(isForeignKeyViolation(new QueryFailedError('INSERT', [], pgError('23503')))).toBe(true);
    expect(isForeignKeyViolation(pgError('23503'))).toBe(true);
    expect(isForeignKeyViolation(pgError('23505'))).toBe(false);
    expect(isForeignKeyViolation(undefined)).toBe(false);
  });
});
