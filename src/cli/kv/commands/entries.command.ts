import { type Command, InvalidArgumentError } from 'commander';
import type { components } from '../../../../clients/typescript/src';
import { unwrap } from '../cli-error';
import { outputOf, settingsFor } from '../command-settings';
import { namespaceId } from '../namespace-ref';
import { Column, print, rawValue } from '../output';
import { allItems } from '../pages';
import { VALUE_TYPES, ValueType, integerOption, valueOf } from '../values';

type Entry = components['schemas']['EntryDto'];

export const ENTRY_COLUMNS: Column<Entry>[] = [
  ['KEY', (entry) => entry.keyPath],
  ['TYPE', (entry) => entry.valueType],
  ['VERSION', (entry) => String(entry.version)],
  ['EXPIRES', (entry) => entry.expiresAt ?? ''],
  ['UPDATED', (entry) => entry.updatedAt],
];

function valueType(value: string): ValueType {
  const upper = value.toUpperCase();
  if (!(VALUE_TYPES as readonly string[]).includes(upper)) {
    throw new InvalidArgumentError(`one of ${VALUE_TYPES.join(', ')}`);
  }
  return upper as ValueType;
}

function ttl(value: string): number | null {
  return value === 'none' ? null : integerOption('--ttl')(value);
}

/** kv get, put, ls, rm */
export function addEntryCommands(program: Command): void {
  program
    .command('get <namespace> <key>')
    .description('print the value of a key (raw; --json for the whole entry)')
    .option('--json', 'the entry as JSON (same as --output json)')
    .action(async (ref: string, key: string, options: { json?: boolean }, command: Command) => {
      const settings = settingsFor(command);
      const nsId = await namespaceId(settings.client, ref);
      const entry = unwrap(
        await settings.client.GET('/api/v1/kv/{nsId}/entries/{key}', {
          params: { path: { nsId, key } },
        }),
      );
      const output = options.json ? 'json' : outputOf(settings, 'raw');
      if (output === 'raw') {
        const text = rawValue(entry.value);
        process.stdout.write(process.stdout.isTTY && !text.endsWith('\n') ? `${text}\n` : text);
      } else {
        print(entry, [entry], ENTRY_COLUMNS, output);
      }
    });

  program
    .command('put <namespace> <key> [value]')
    .description('set a key; the value from standard input when it is - or absent')
    .option('--type <type>', `value type: ${VALUE_TYPES.join(', ')}`, valueType, 'STRING')
    .option('--ttl <seconds>', "seconds until it expires, or 'none'", ttl)
    .option(
      '--if-version <n>',
      'only if the key is at this version (0: only if absent)',
      integerOption('--if-version'),
    )
    .action(
      async (
        ref: string,
        key: string,
        value: string | undefined,
        options: { type: ValueType; ttl?: number | null; ifVersion?: number },
        command: Command,
      ) => {
        const settings = settingsFor(command);
        const nsId = await namespaceId(settings.client, ref);
        const body = {
          value: (await valueOf(value, options.type)) as string,
          valueType: options.type,
          ...(options.ttl === undefined ? {} : { ttlSeconds: options.ttl }),
          ...(options.ifVersion === undefined ? {} : { expectedVersion: options.ifVersion }),
        };
        const result = await settings.client.PUT('/api/v1/kv/{nsId}/entries/{key}', {
          params: { path: { nsId, key } },
          body,
        });
        const entry = unwrap(result);
        const output = outputOf(settings, 'table');
        if (output === 'table') {
          const verb = result.response.status === 201 ? 'created' : 'updated';
          process.stdout.write(`${verb} ${entry.keyPath} version ${entry.version}\n`);
        } else {
          print({ ...entry, value: undefined }, [entry], ENTRY_COLUMNS, output);
        }
      },
    );

  program
    .command('ls <namespace> [prefix]')
    .description('list the keys (without values)')
    .action(
      async (ref: string, prefix: string | undefined, _options: unknown, command: Command) => {
        const settings = settingsFor(command);
        const nsId = await namespaceId(settings.client, ref);
        const items = await allItems((cursor) =>
          settings.client.GET('/api/v1/kv/{nsId}/entries', {
            params: { path: { nsId }, query: { prefix, cursor, limit: 1000 } },
          }),
        );
        print(items, items, ENTRY_COLUMNS, outputOf(settings, 'table'));
      },
    );

  program
    .command('rm <namespace> <key>')
    .description('delete a key')
    .action(async (ref: string, key: string, _options: unknown, command: Command) => {
      const settings = settingsFor(command);
      const nsId = await namespaceId(settings.client, ref);
      unwrap(
        await settings.client.DELETE('/api/v1/kv/{nsId}/entries/{key}', {
          params: { path: { nsId, key } },
        }),
      );
      process.stderr.write(`deleted ${key}\n`);
    });
}
