import { formatValue, parseMetadata, parseValue } from './value-codec.js';

describe('parseValue', () => {
  it('takes each type in the form the API stores it', () => {
    expect(parseValue('STRING', ' a ')).toEqual({ ok: true, value: ' a ' });
    expect(parseValue('NUMBER', '3.5')).toEqual({ ok: true, value: 3.5 });
    expect(parseValue('BOOLEAN', 'false')).toEqual({ ok: true, value: false });
    expect(parseValue('JSON', '{"a":[1]}')).toEqual({ ok: true, value: { a: [1] } });
    expect(parseValue('BINARY', 'aGVsbG8=')).toEqual({ ok: true, value: 'aGVsbG8=' });
  });

  it.each([
    ['NUMBER', ''],
    ['NUMBER', 'Infinity'],
    ['NUMBER', '12px'],
    ['BOOLEAN', 'yes'],
    ['JSON', '{"a":'],
    ['JSON', '"a string"'],
    ['JSON', 'null'],
    ['BINARY', 'aGVsbG8'],
    ['BINARY', 'aGV-bG8='],
  ] as const)('refuses %s %j with a reason', (type, text) => {
    const sut = parseValue(type, text);
    expect(sut.ok).toBe(false);
    expect(sut.ok ? '' : sut.message).not.toBe('');
  });
});

describe('formatValue and parseMetadata', () => {
  it('pretty-prints JSON and shows the rest as text', () => {
    // The generated schema types a JSON object as Record<string, never>.
    expect(formatValue('JSON', { a: 1 } as unknown as Record<string, never>)).toBe(
      '{\n  "a": 1\n}',
    );
    expect(formatValue('NUMBER', 5)).toBe('5');
    expect(formatValue('BOOLEAN', true)).toBe('true');
    expect(formatValue('STRING', undefined)).toBe('');
  });

  it('takes an object or nothing as metadata', () => {
    expect(parseMetadata('  ')).toEqual({ ok: true, value: null });
    expect(parseMetadata('{"owner":"ops"}')).toEqual({ ok: true, value: { owner: 'ops' } });
    expect(parseMetadata('[1]').ok).toBe(false);
    expect(parseMetadata('{').ok).toBe(false);
  });
});
