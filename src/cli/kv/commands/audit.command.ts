import type { Command } from 'commander';
import type { components } from '../../../../clients/typescript/src';
import { unwrap } from '../cli-error';
import { outputOf, settingsFor } from '../command-settings';
import { namespaceId } from '../namespace-ref';
import { Column, print } from '../output';
import { integerOption } from '../values';

type Row = components['schemas']['AuditLogDto'];
type Action = components['schemas']['AuditAction'];

const COLUMNS: Column<Row>[] = [
  ['TIME', (row) => row.timestamp],
  ['ACTION', (row) => row.action],
  ['KEY', (row) => row.keyPath ?? ''],
  ['USER', (row) => row.userId ?? ''],
  ['STATUS', (row) => `${row.statusCode}${row.success ? '' : ' failed'}`],
  ['NAMESPACE', (row) => row.namespaceId ?? ''],
];

/** kv audit */
export function auditCommand(program: Command): void {
  program
    .command('audit')
    .description('the audit log, newest first')
    .option('--ns <namespace>', 'rows of this namespace')
    .option('--key <keyPath>', 'rows of this key')
    .option('--action <action>', 'READ, WRITE, DELETE, ROTATE, ROLLBACK, LIST, NAMESPACE_…')
    .option('--user <sub>', 'rows of this caller')
    .option('--failed', 'failures only')
    .option('--limit <n>', 'at most this many rows (1-1000)', integerOption('--limit'), 50)
    .action(
      async (
        options: {
          ns?: string;
          key?: string;
          action?: string;
          user?: string;
          failed?: boolean;
          limit: number;
        },
        command: Command,
      ) => {
        const settings = settingsFor(command);
        const page = unwrap(
          await settings.client.GET('/api/v1/kv/audit', {
            params: {
              query: {
                namespaceId:
                  options.ns === undefined
                    ? undefined
                    : await namespaceId(settings.client, options.ns),
                keyPath: options.key,
                action: options.action as Action | undefined,
                userId: options.user,
                success: options.failed ? false : undefined,
                limit: options.limit,
              },
            },
          }),
        );
        print(page, page.items, COLUMNS, outputOf(settings, 'table'));
      },
    );
}
