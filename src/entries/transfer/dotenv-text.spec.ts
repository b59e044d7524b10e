import fc from 'fast-check';
import { parse } from 'dotenv';
import { dotenvText, dotenvValue } from './dotenv-text';

const HOSTILE = [
  '',
  ' padded ',
  'line one\nline two',
  'crlf\r\nand lone\rcr',
  'it\'s "quoted" `thrice`',
  '$HOME ${PATH} $(rm -rf /)',
  'not # a comment',
  '#starts with hash',
  "'single'",
  '"double"',
  'back\\slash\\',
  'literal \\n not a newline',
  'KEY2=injected\nKEY3=also',
  "ends with quote'",
  'tab\tinside',
  'ünïcødé ✓ 🚀',
];

describe('dotenvText', () => {
  it.each(HOSTILE)('reads back %j exactly through dotenv', (value) => {
    const sut = dotenvText([
      ['BEFORE', 'x'],
      ['VALUE', value],
      ['AFTER', 'y'],
    ]);
    expect(parse(sut)).toEqual({ BEFORE: 'x', VALUE: value, AFTER: 'y' });
  });

  it('reads back every value it can write, and writes almost every value', () => {
    let refused = 0;
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 }),
        (values) => {
          const written = values.filter((value) => dotenvValue(value) !== undefined);
          refused += values.length - written.length;
          const variables = written.map((value, i) => [`V${i}`, value] as const);
          expect(parse(dotenvText(variables))).toEqual(Object.fromEntries(variables));
        },
      ),
      { numRuns: 2000 },
    );
    expect(refused).toBeLessThan(50);
  });

  it('refuses a CR together with a double quote, which no quoting carries', () => {
    expect(dotenvValue('a\r"b')).toBeUndefined();
  });

  it('leaves plain values unquoted', () => {
    expect(dotenvText([['HOST', 'db.internal']])).toBe('HOST=db.internal\n');
  });
});
