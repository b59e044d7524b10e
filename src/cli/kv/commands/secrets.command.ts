import type { Command } from 'commander';
import type { components } from '../../../../clients/typescript/src';
import { unwrap } from '../cli-error';
import { outputOf, settingsFor } from '../command-settings';
import { namespaceId } from '../namespace-ref';
import { Column, print } from '../output';
import { allItems } from '../pages';
import { VALUE_TYPES, ValueType, integerOption, valueOf } from '../values';

type Version = components['schemas']['EntryVersionDto'];

const VERSION_COLUMNS: Column<Version>[] = [
  ['VERSION', (v) => String(v.version)],
  ['TYPE', (v) => v.valueType],
  ['REASON', (v) => v.changeReason],
  ['BY', (v) => v.changedBy],
  ['AT', (v) => v.createdAt],
];

function changed(verb: string, entry: { keyPath: string; version: number }): void {
  process.stdout.write(`${verb} ${entry.keyPath}: now version ${entry.version}\n`);
}

/** kv versions (every namespace keeps them), rotate, rollback (secret namespaces) */
export function addSecretCommands(program: Command): void {
  program
    .command('versions <namespace> <key>')
    .description('the versions of a key, newest first (never their values)')
    .action(async (ref: string, key: string, _options: unknown, command: Command) => {
      const settings = settingsFor(command);
      const nsId = await namespaceId(settings.client, ref);
      const items = await allItems((cursor) =>
        settings.client.GET('/api/v1/kv/{nsId}/entries/{key}/versions', {
          params: { path: { nsId, key }, query: { cursor, limit: 1000 } },
        }),
      );
      print(items, items, VERSION_COLUMNS, outputOf(settings, 'table'));
    });

  program
    .command('rotate <namespace> <key> [value]')
    .description('store a new version of a secret; the value from standard input when - or absent')
    .option('--type <type>', `value type: ${VALUE_TYPES.join(', ')} (default: the current one)`)
    .action(
      async (
        ref: string,
        key: string,
        value: string | undefined,
        options: { type?: string },
        command: Command,
      ) => {
        const settings = settingsFor(command);
        const nsId = await namespaceId(settings.client, ref);
        const type = (options.type?.toUpperCase() ?? 'STRING') as ValueType;
        const entry = unwrap(
          await settings.client.POST('/api/v1/kv/{nsId}/entries/{key}/rotate', {
            params: { path: { nsId, key } },
            body: {
              value: (await valueOf(value, type)) as string,
              ...(options.type === undefined ? {} : { valueType: type }),
            },
          }),
        );
        if (outputOf(settings, 'table') === 'json') {
          print({ ...entry, value: undefined }, [], [], 'json');
        } else {
          changed('rotated', entry);
        }
      },
    );

  program
    .command('rollback <namespace> <key> <version>')
    .description("make an earlier version's value current, as a new version")
    .action(
      async (ref: string, key: string, version: string, _options: unknown, command: Command) => {
        const settings = settingsFor(command);
        const nsId = await namespaceId(settings.client, ref);
        const entry = unwrap(
          await settings.client.POST('/api/v1/kv/{nsId}/entries/{key}/rollback', {
            params: { path: { nsId, key } },
            body: { version: integerOption('version')(version) },
          }),
        );
        if (outputOf(settings, 'table') === 'json') {
          print({ ...entry, value: undefined }, [], [], 'json');
        } else {
          changed(`rolled back to version ${version}:`, entry);
        }
      },
    );
}
