import fc from 'fast-check';

/**
 * Arbitraries of hostile input for test/e2e/fuzz.e2e-spec.ts. Bodies are built as JSON text,
 * not objects, so that they can hold what JSON.stringify never writes: numbers beyond double
 * range, duplicate fields, nesting deeper than any parser's recursion. Every case carries a
 * marker (QZ<n>MK) inside the values it sends; no error body may contain it.
 */

export const VALUE_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'JSON', 'BINARY'] as const;

/** One field of a JSON object: its name and its value as JSON text. */
export type Field = [name: string, text: string];

export const markerArb = fc.nat().map((n) => `QZ${n}MK`);

/** JSON text of an object made of these fields, in this order (duplicates kept). */
export function objectText(fields: (Field | undefined)[]): string {
  const present = fields.filter((field): field is Field => field !== undefined);
  return `{${present.map(([name, text]) => `${JSON.stringify(name)}:${text}`).join(',')}}`;
}

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
/** Header values Node's client accepts: printable ASCII. */
export const headerTextArb = fc.string({ unit: fc.constantFrom(...PRINTABLE), maxLength: 30 });

/**
 * Percent-encodes a string as a URL component; a lone surrogate becomes the bytes UTF-8 would
 * give it, which are not valid UTF-8, as a client with a broken encoder would send.
 */
export function percentEncode(text: string): string {
  if (text.isWellFormed()) {
    return encodeURIComponent(text);
  }
  return [...text]
    .map((char) => {
      const unit = char.charCodeAt(0);
      if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
        return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
          .map((byte) => `%${byte.toString(16).toUpperCase()}`)
          .join('');
      }
      return encodeURIComponent(char);
    })
    .join('');
}

/** Absent three times in four, so that most cases have a chance to be accepted. */
const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

/** Nesting of arrays or objects n levels deep around a string. */
export const deepTextArb = (marker: string): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: 1, max: 5000 }), fc.boolean())
    .map(([depth, arrays]) =>
      arrays
        ? `${'['.repeat(depth)}${JSON.stringify(marker)}${']'.repeat(depth)}`
        : `${'{"a":'.repeat(depth)}${JSON.stringify(marker)}${'}'.repeat(depth)}`,
    );

const segmentArb = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('.', '..', '', 'versions', 'rotate', 'rollback', '%2F', '%', '?'),
  },
);

/** Key paths: mostly plausible, some invalid, some very long or very deep. */
export const keyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.array(segmentArb, { minLength: 1, maxLength: 6 }).map(joinPath) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 500, max: 3000 }), fc.constantFrom('k', 'é', '🔑', 'a/'))
      .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length)),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 60, max: 70 }).map((depth) => Array(depth).fill('d').join('/')),
  },
);

function joinPath(segments: string[]): string {
  return segments.join('/');
}

/** How a key is put into a URL: one component (%2F), raw slashes, or bytes that name no key. */
export type KeyInUrl = { url: string; key: string | undefined };

export const keyInUrlArb: fc.Arbitrary<KeyInUrl> = fc.oneof(
  { weight: 5, arbitrary: keyArb.map((key) => ({ url: percentEncode(key), key })) },
  {
    weight: 4,
    arbitrary: keyArb.map((key) => ({
      url: key.split('/').map(percentEncode).join('/'),
      key,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 12 }).map((bytes) => ({
      url: [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
      key: undefined,
    })),
  },
);

/** Fields named like members of Object.prototype, which object mappers tend to mishandle. */
const memberFieldArb: fc.Arbitrary<Field> = fc
  .tuple(
    fc.constantFrom(
      'constructor',
      'prototype',
      'valueOf',
      'toString',
      'hasOwnProperty',
      'isPrototypeOf',
      '__defineGetter__',
      '__proto__',
    ),
    fc.jsonValue({ maxDepth: 2 }),
  )
  .map(([name, value]) => [name, JSON.stringify(value)]);

/** A value and its matching valueType, as JSON text; `secret` is text an error must not repeat. */
export interface TypedValue {
  valueType: string;
  text: string;
  secret?: string;
}

export const typedValueArb = (marker: string): fc.Arbitrary<TypedValue> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }).map((s) => ({
      valueType: 'STRING',
      text: JSON.stringify(`${marker}${s}`),
    })),
    fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .map((d) => ({ valueType: 'NUMBER', text: JSON.stringify(d) })),
    fc.boolean().map((b) => ({ valueType: 'BOOLEAN', text: String(b) })),
    fc
      .tuple(fc.jsonValue({ maxDepth: 4 }), fc.array(memberFieldArb, { maxLength: 3 }))
      .map(([v, members]) => ({
        valueType: 'JSON',
        text: objectText([
          [marker, JSON.stringify(v)],
          ['marker', JSON.stringify(marker)],
          ...members,
        ]),
      })),
    fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }).map((items) => ({
      valueType: 'JSON',
      text: JSON.stringify([marker, ...items]),
    })),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => {
      const base64 = Buffer.concat([Buffer.from(marker), bytes]).toString('base64');
      return { valueType: 'BINARY', text: JSON.stringify(base64), secret: base64 };
    }),
  );

/** Value text of any kind: typed, out of range, too deep, too large, not base64. */
export const anyValueTextArb = (marker: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: typedValueArb(marker).map((v) => v.text) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '1e400',
        '-1e400',
        '123456789012345678901234567890',
        '-0',
        '0.1e-400',
        '{"a":1e400}',
        '[1e999]',
        'null',
        '{}',
        '[]',
        '""',
        '"===="',
        '"QQ"',
      ),
    },
    { weight: 1, arbitrary: deepTextArb(marker) },
    {
      weight: 1,
      arbitrary: fc.string({ maxLength: 10 }).map((s) => JSON.stringify(`${marker}!*${s}`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 65500, max: 65600 })
        .map((n) => JSON.stringify(`${marker}${'x'.repeat(n)}`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 65530, max: 65540 })
        .map((n) => JSON.stringify(Buffer.alloc(n, 7).toString('base64'))),
    },
  );

export const valueTypeTextArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(...VALUE_TYPES).map((t) => JSON.stringify(t)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('"string"', '"TEXT"', '""', 'null', '1', '[]', '{}', '"json"'),
  },
);

export const ttlTextArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 60, max: 2 ** 31 + 10 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('0', '-1', '1.5', '"60"', 'null', '1e400', '2147483648', 'true'),
  },
);

export const metadataTextArb = (marker: string): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
          fc.array(memberFieldArb, { maxLength: 2 }),
        )
        .map(([d, members]) =>
          objectText([
            ...Object.entries(d).map(([k, v]): Field => [k, JSON.stringify(v)]),
            ['note', JSON.stringify(marker)],
            ...members,
          ]),
        ),
    },
    { weight: 1, arbitrary: fc.constantFrom('[]', '"m"', '1', 'null', '{"a":1e400}') },
    { weight: 1, arbitrary: deepTextArb(marker) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 16300, max: 16400 })
        .map((n) => JSON.stringify({ m: `${marker}${'x'.repeat(n)}` })),
    },
  );

const versionTextArb: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -1, max: 4 }).map(String),
  fc.constantFrom('"1"', '1.5', '1e400', 'null', '2147483648'),
);

const extraFieldArb: fc.Arbitrary<Field> = fc
  .tuple(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }))
  .map(([name, value]) => [name, JSON.stringify(value)]);

/** The fields of a set (or bulk item) body: value and valueType, usually matching. */
export const setFieldsArb = (marker: string): fc.Arbitrary<(Field | undefined)[]> =>
  fc
    .tuple(
      fc.oneof(
        {
          weight: 6,
          arbitrary: typedValueArb(marker).map((v): Field[] => [
            ['value', v.text],
            ['valueType', JSON.stringify(v.valueType)],
          ]),
        },
        {
          weight: 3,
          arbitrary: fc
            .tuple(anyValueTextArb(marker), valueTypeTextArb)
            .map(([value, type]): Field[] => [
              ['value', value],
              ['valueType', type],
            ]),
        },
        { weight: 1, arbitrary: valueTypeTextArb.map((type): Field[] => [['valueType', type]]) },
      ),
      optional(ttlTextArb.map((t): Field => ['ttlSeconds', t])),
      optional(metadataTextArb(marker).map((m): Field => ['metadata', m])),
      optional(versionTextArb.map((v): Field => ['expectedVersion', v])),
      fc.oneof(
        { weight: 9, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: extraFieldArb },
      ),
    )
    .map(([value, ...rest]) => [...value, ...rest]);

/** A whole body: mostly a set body, sometimes no object at all or not JSON. */
export const bodyTextArb = (
  fields: fc.Arbitrary<(Field | undefined)[]>,
  marker: string,
): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 12, arbitrary: fields.map(objectText) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', 'null', '[]', '"x"', '{', '{"value":}', 'nul', '1e400'),
    },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: deepTextArb(marker) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => `${marker}${s}`) },
  );

export const contentTypeArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/problem+json',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/jsonx',
      '*/*',
    ),
  },
);

export const ifMatchArb = (marker: string): fc.Arbitrary<string | undefined> =>
  optional(
    fc.oneof(
      fc.constantFrom('*', '"1"', 'W/"1"', '"2", "1"', '""', ',', 'W/', '"99999999999999999999"'),
      headerTextArb.map((s) => `"${marker}${s}"`),
    ),
  );

/** Who calls: usually the admin token; sometimes a credential that must be refused. */
export type Caller = 'admin' | 'none' | 'garbage' | 'wrong-secret' | 'no-permissions' | 'basic';

export const callerArb: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 15, arbitrary: fc.constant<Caller>('admin') },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Caller>(
      'none',
      'garbage',
      'wrong-secret',
      'no-permissions',
      'basic',
    ),
  },
);

/** Namespace body fields; `partial` leaves out the fields a create requires. */
export const namespaceFieldsArb = (
  marker: string,
  partial: boolean,
): fc.Arbitrary<(Field | undefined)[]> => {
  const maybe = <T>(arb: fc.Arbitrary<T>) => (partial ? optional(arb) : arb);
  return fc.tuple(
    maybe(
      fc
        .oneof(
          {
            weight: 6,
            arbitrary: fc
              .stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/)
              .map((s) => JSON.stringify(s)),
          },
          {
            weight: 1,
            arbitrary: fc.string({ unit: 'binary', maxLength: 140 }).map((s) => JSON.stringify(s)),
          },
          { weight: 1, arbitrary: fc.constantFrom('""', 'null', '1', '"a".repeat', '"x"') },
        )
        .map((t): Field => ['name', t]),
    ),
    optional(
      fc
        .oneof(
          {
            weight: 4,
            arbitrary: fc
              .string({ unit: 'binary', maxLength: 50 })
              .map((s) => JSON.stringify(`${marker}${s}`)),
          },
          {
            weight: 1,
            arbitrary: fc
              .integer({ min: 1000, max: 1100 })
              .map((n) => JSON.stringify(`${marker}${'d'.repeat(n)}`)),
          },
          { weight: 1, arbitrary: fc.constantFrom('null', '1', '[]', '{}') },
          { weight: 1, arbitrary: deepTextArb(marker) },
        )
        .map((t): Field => ['description', t]),
    ),
    maybe(
      fc
        .oneof(
          {
            weight: 6,
            arbitrary: fc
              .stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/)
              .map((s) => JSON.stringify(s)),
          },
          { weight: 1, arbitrary: fc.constantFrom('"*"', '""', 'null', '1', '"a b"') },
          {
            weight: 1,
            arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => JSON.stringify(s)),
          },
        )
        .map((t): Field => ['applicationId', t]),
    ),
    optional(
      fc
        .oneof(fc.boolean().map(String), fc.constantFrom('"true"', '1', 'null'))
        .map((t): Field => ['isSecretNamespace', t]),
    ),
    optional(ttlTextArb.map((t): Field => ['defaultTtlSeconds', t])),
    fc.oneof(
      { weight: 9, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: extraFieldArb },
    ),
  );
};

/** One query parameter as it appears in a URL, names and values percent-encoded or not. */
export const queryParamArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      {
        weight: 8,
        arbitrary: fc.constantFrom('limit', 'cursor', 'prefix', 'includeValues', 'applicationId'),
      },
      { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'limit[]', '') },
      { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map(percentEncode) },
    ),
    fc.oneof(
      fc.integer({ min: -5, max: 1005 }).map(String),
      fc.constantFrom('1e3', 'abc', '', 'true', 'false', '0x10', '%20%31', '1.5', '%00', '%E0'),
      fc.string({ unit: 'binary', maxLength: 20 }).map(percentEncode),
      fc
        .array(fc.string({ unit: 'binary', maxLength: 10 }), { maxLength: 3 })
        .map((parts) => Buffer.from(JSON.stringify(parts)).toString('base64url')),
      fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('base64url')),
      fc.integer({ min: 500, max: 5000 }).map((n) => 'c'.repeat(n)),
    ),
  )
  .map(([name, value]) => `${name}=${value}`);
