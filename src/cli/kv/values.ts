import { InvalidArgumentError } from 'commander';
import { CliError } from './cli-error';

export const VALUE_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'JSON', 'BINARY'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** Everything on standard input, as bytes. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The value of `put` and `rotate`: the argument, or standard input when it is `-` or absent
 * (as it is, trailing newline included). BINARY takes base64, or raw bytes from standard input.
 */
export async function valueOf(arg: string | undefined, type: ValueType): Promise<unknown> {
  const stdin = arg === undefined || arg === '-' ? await readStdin() : undefined;
  if (type === 'BINARY') {
    return stdin?.toString('base64') ?? arg;
  }
  const text = stdin?.toString('utf8') ?? arg!;
  switch (type) {
    case 'STRING':
      return text;
    case 'NUMBER': {
      const number = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(number)) {
        throw new CliError(`${JSON.stringify(text)} is not a number`);
      }
      return number;
    }
    case 'BOOLEAN':
      if (!['true', 'false'].includes(text.trim())) {
        throw new CliError('a BOOLEAN value is true or false');
      }
      return text.trim() === 'true';
    case 'JSON':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new CliError('the value is not valid JSON');
      }
  }
}

/** A non-negative integer option. */
export function integerOption(name: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) {
      throw new InvalidArgumentError(`${name} must be a whole number`);
    }
    return Number(value);
  };
}
