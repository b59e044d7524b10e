import { Command } from 'commander';
import type { components } from '../../../../clients/typescript/src';
import { unwrap } from '../cli-error';
import { outputOf, settingsFor } from '../command-settings';
import { namespaceId, splitNamespaceRef } from '../namespace-ref';
import { Column, print } from '../output';
import { allItems } from '../pages';
import { integerOption } from '../values';

type Namespace = components['schemas']['NamespaceDto'];

const COLUMNS: Column<Namespace>[] = [
  ['NAMESPACE', (ns) => `${ns.applicationId}:${ns.name}`],
  ['ID', (ns) => ns.id],
  ['SECRET', (ns) => (ns.isSecretNamespace ? 'yes' : 'no')],
  ['DESCRIPTION', (ns) => ns.description ?? ''],
];

/** kv ns ls|create|show|rm */
export function namespacesCommand(): Command {
  const ns = new Command('ns').description('namespaces: list, create, show, delete');

  ns.command('ls')
    .description("list the namespaces of the token's applications")
    .option('--app <applicationId>', 'only those of this application')
    .action(async (options: { app?: string }, command: Command) => {
      const settings = settingsFor(command);
      const items = await allItems((cursor) =>
        settings.client.GET('/api/v1/kv/namespaces', {
          params: { query: { applicationId: options.app, cursor, limit: 1000 } },
        }),
      );
      print(items, items, COLUMNS, outputOf(settings, 'table'));
    });

  ns.command('create <applicationId:name>')
    .description('create a namespace')
    .option('--secret', 'a secret namespace: values encrypted and versioned')
    .option('--description <text>', 'what it holds')
    .option('--ttl <seconds>', 'default TTL of its entries', integerOption('--ttl'))
    .action(
      async (
        ref: string,
        options: { secret?: boolean; description?: string; ttl?: number },
        command: Command,
      ) => {
        const settings = settingsFor(command);
        const created = unwrap(
          await settings.client.POST('/api/v1/kv/namespaces', {
            body: {
              ...splitNamespaceRef(ref),
              isSecretNamespace: options.secret ?? false,
              description: options.description,
              defaultTtlSeconds: options.ttl,
            },
          }),
        );
        print(created, [created], COLUMNS, outputOf(settings, 'table'));
      },
    );

  ns.command('show <namespace>')
    .description('show a namespace (by id or applicationId:name)')
    .action(async (ref: string, _options: unknown, command: Command) => {
      const settings = settingsFor(command);
      const id = await namespaceId(settings.client, ref);
      const found = unwrap(
        await settings.client.GET('/api/v1/kv/namespaces/{id}', { params: { path: { id } } }),
      );
      print(found, [found], COLUMNS, outputOf(settings, 'table'));
    });

  ns.command('rm <namespace>')
    .description('delete a namespace with its entries and history')
    .action(async (ref: string, _options: unknown, command: Command) => {
      const settings = settingsFor(command);
      const id = await namespaceId(settings.client, ref);
      unwrap(
        await settings.client.DELETE('/api/v1/kv/namespaces/{id}', { params: { path: { id } } }),
      );
      process.stderr.write(`deleted ${ref}\n`);
    });

  return ns;
}
