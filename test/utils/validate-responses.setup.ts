/**
 * Jest setup of the e2e project: every supertest response to a documented operation must be
 * one the committed openapi.json describes (status, media type, body schema), or the request
 * fails as if an assertion had. Routes the spec does not have (the Swagger UI, an unknown
 * path's 404, a HEAD or OPTIONS) are not checked.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Test } from 'supertest';
import { openApiValidator } from './openapi-validator';

interface SentRequest {
  method: string;
  path: string;
}
interface ReceivedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
  text?: string;
  req?: SentRequest;
}
type Callback = (this: Test, error: Error | null, res: ReceivedResponse | undefined) => void;
type Assert = (
  this: Test,
  error: Error | null,
  res: ReceivedResponse | undefined,
  fn?: Callback,
) => void;

/** What is wrong with a response, judged by the spec; undefined when it conforms or is not covered. */
function specViolation(res: ReceivedResponse): string | undefined {
  if (!res.req) {
    return undefined;
  }
  const validator = openApiValidator();
  const matched = validator.match(res.req.method, res.req.path);
  if (!matched) {
    return undefined;
  }
  const contentType = res.headers['content-type'];
  const json = contentType !== undefined && /[/+]json\b/i.test(contentType);
  const text = res.text ?? '';
  return validator.checkResponse(matched, {
    status: res.status,
    contentType,
    body: text === '' ? undefined : json ? res.body : text,
  });
}

const prototype = Test.prototype as unknown as { assert: Assert };
const assert = prototype.assert;
prototype.assert = function (this: Test, error, res, fn) {
  const violation = res ? specViolation(res) : undefined;
  if (violation !== undefined && fn) {
    fn.call(this, new Error(`Response does not match openapi.json: ${violation}`), res);
    return;
  }
  assert.call(this, error, res, fn);
};
