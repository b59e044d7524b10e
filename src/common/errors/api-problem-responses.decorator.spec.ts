import { ApiProblemResponses } from './api-problem-responses.decorator';

// @ApiResponse()'s metadata key; the package's exports map hides its constants module.
const API_RESPONSE = 'swagger/apiResponse';

type Documented = Record<
  string,
  { content: Record<string, { examples: Record<string, { value: { status: number } }> }> }
>;

function documented(...responses: Parameters<typeof ApiProblemResponses>): Documented {
  class Subject {
    handler(): void {}
  }
  const descriptor = Object.getOwnPropertyDescriptor(Subject.prototype, 'handler')!;
  ApiProblemResponses(...responses)(Subject.prototype, 'handler', descriptor);
  return Reflect.getMetadata(API_RESPONSE, descriptor.value) as Documented;
}

describe('ApiProblemResponses', () => {
  const sut = { documented };

  it('gives each status an example body per code its description names', () => {
    const responses = sut.documented(413, [
      404,
      'No such namespace (NAMESPACE_NOT_FOUND) or entry (ENTRY_NOT_FOUND)',
    ]);
    const examples = (status: number) =>
      responses[status].content['application/problem+json'].examples;
    expect(Object.keys(examples(404))).toEqual(['NAMESPACE_NOT_FOUND', 'ENTRY_NOT_FOUND']);
    expect(examples(404).ENTRY_NOT_FOUND.value).toMatchObject({
      status: 404,
      code: 'ENTRY_NOT_FOUND',
      type: 'urn:kv-service:problem:entry-not-found',
    });
    expect(examples(413).PAYLOAD_TOO_LARGE.value.status).toBe(413);
  });

  it('refuses a description that names no code, or a code of another status', () => {
    expect(() => sut.documented([404, 'Not found'])).toThrow(/must name codes of status 404/);
    expect(() => sut.documented([409, 'Gone (NAMESPACE_NOT_FOUND)'])).toThrow(
      /must name codes of status 409/,
    );
    expect(() => sut.documented(404)).toThrow(/must name codes of status 404/);
  });
});
