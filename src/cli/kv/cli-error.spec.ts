import { problemLine } from './cli-error';

describe('problemLine', () => {
  it('puts the code and status first, then the detail and the items named', () => {
    const sut = problemLine(
      {
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: '1 problem(s) in entries; nothing was written',
        errors: [{ index: 1, key: 'a//b', field: 'key', message: 'has an empty segment' }],
      },
      400,
    );
    expect(sut).toBe(
      'VALIDATION_FAILED (400): 1 problem(s) in entries; nothing was written [#1 a//b key has an empty segment]',
    );
  });

  it('names the HTTP status of an answer that is not problem+json', () => {
    expect(problemLine(undefined, 502)).toBe('HTTP_ERROR (502): no detail');
  });
});
