import type { Socket } from 'node:net';
import type { ConnectionError } from 'fastify';
import { TRANSPORT_ERROR_OPTIONS } from './transport-errors';

/** A socket that records what is written to it and whether it was destroyed. */
function fakeSocket(destroyed = false) {
  const written: string[] = [];
  const socket = {
    destroyed,
    writable: !destroyed,
    write: (data: string) => written.push(data),
    destroy: jest.fn(),
  };
  return { socket, written };
}

const clientError = (code: string) => Object.assign(new Error(code), { code }) as ConnectionError;

describe('TRANSPORT_ERROR_OPTIONS.clientErrorHandler', () => {
  const sut = TRANSPORT_ERROR_OPTIONS.clientErrorHandler!;

  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'Request Timeout', 'REQUEST_TIMEOUT'],
    ['HPE_INVALID_METHOD', 400, 'Bad Request', 'VALIDATION_FAILED'],
  ])('answers %s with a problem+json %d and closes', (code, status, reason, problemCode) => {
    const { socket, written } = fakeSocket();
    sut(clientError(code), socket as unknown as Socket);
    const [response] = written;
    expect(response).toMatch(new RegExp(`^HTTP/1\\.1 ${status} ${reason}\\r\\n`));
    expect(response).toContain('Content-Type: application/problem+json; charset=utf-8\r\n');
    const body = response.slice(response.indexOf('\r\n\r\n') + 4);
    expect(response).toContain(`Content-Length: ${Buffer.byteLength(body)}\r\n`);
    expect(JSON.parse(body)).toMatchObject({ status, code: problemCode });
    expect(socket.destroy).toHaveBeenCalled();
  });

  it('writes nothing to a connection the client reset', () => {
    const { socket, written } = fakeSocket(true);
    sut(clientError('ECONNRESET'), socket as unknown as Socket);
    expect(written).toEqual([]);
  });
});
