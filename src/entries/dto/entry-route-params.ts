import type { ApiParamOptions } from '@nestjs/swagger';

export const NAMESPACE_PARAM: ApiParamOptions = {
  name: 'nsId',
  format: 'uuid',
  description: 'Namespace id',
};

/**
 * One path parameter holding the whole key. Clients must percent-encode it: a raw `?` or `#`
 * ends the path, so a generator that does not encode (orval) silently writes key `q?mark/x` as
 * `q`; a raw `%` is read as the start of an escape.
 */
export const ENTRY_KEY_PARAM: ApiParamOptions = {
  name: 'key',
  description:
    'Key path such as config/database/host: at most 512 characters in at most 32 segments. ' +
    'It must be sent percent-encoded (RFC 3986, as encodeURIComponent does): at least `?` as %3F, ' +
    '`#` as %23 and `%` as %25, or the key is cut short or misread. `/` may be sent raw ' +
    '(config/database/host) or as %2F (config%2Fdatabase%2Fhost): both name the same entry.',
  schema: { type: 'string', minLength: 1, maxLength: 512 },
  example: 'config/database/host',
};
