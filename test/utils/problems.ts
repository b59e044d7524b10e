import type { Response } from 'supertest';
import { ProblemDto, bodyOf } from './bodies';

/**
 * Asserts that a response is the problem+json answer of this status and stable code: the
 * media type, and a body with its type, title, status, detail and code.
 */
export function expectProblem(res: Response, status: number, code: ProblemDto['code']): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(bodyOf<ProblemDto>(res)).toEqual(
    expect.objectContaining({
      status,
      code,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    }),
  );
}
