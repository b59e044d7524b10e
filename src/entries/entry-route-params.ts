import type { ApiParamOptions } from '@nestjs/swagger';

export const NAMESPACE_PARAM: ApiParamOptions = {
  name: 'nsId',
  format: 'uuid',
  description: 'Namespace id',
};

/** One path parameter holding the whole key: generated clients percent-encode its slashes. */
export const ENTRY_KEY_PARAM: ApiParamOptions = {
  name: 'key',
  description:
    'Key path such as config/database/host: at most 512 characters in at most 32 segments. Send it percent-encoded (config%2Fdatabase%2Fhost); raw slashes are accepted too',
  schema: { type: 'string', minLength: 1, maxLength: 512 },
  example: 'config/database/host',
};
