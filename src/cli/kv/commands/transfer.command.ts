import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { type Command, InvalidArgumentError } from 'commander';
import type { components } from '../../../../clients/typescript/src';
import { CliError, unwrap } from '../cli-error';
import { outputOf, settingsFor } from '../command-settings';
import { namespaceId } from '../namespace-ref';
import { Column, print } from '../output';
import type { Settings } from '../settings';
import { readStdin } from '../values';

type Plan = components['schemas']['ImportPlanDto'];
type Format = 'dotenv' | 'json' | 'yaml';
interface PlanRow {
  change: string;
  key: string;
  version: string;
}

const FORMATS: Format[] = ['dotenv', 'json', 'yaml'];
const PLAN_COLUMNS: Column<PlanRow>[] = [
  ['CHANGE', (row) => row.change],
  ['KEY', (row) => row.key],
  ['VERSION', (row) => row.version],
];

function format(value: string): Format {
  if (!(FORMATS as string[]).includes(value)) {
    throw new InvalidArgumentError(`one of ${FORMATS.join(', ')}`);
  }
  return value as Format;
}

/** The format of a file by its name: .json, .yaml/.yml, anything else dotenv. */
function formatOfFile(path: string): Format {
  const extension = extname(path).toLowerCase();
  return extension === '.json' ? 'json' : ['.yaml', '.yml'].includes(extension) ? 'yaml' : 'dotenv';
}

function planRows(plan: Plan): PlanRow[] {
  return [
    ...plan.created.map((k) => ({ change: 'create', key: k.key, version: String(k.version) })),
    ...plan.updated.map((k) => ({
      change: 'update',
      key: k.key,
      version: `${k.previousVersion} -> ${k.version}`,
    })),
    ...plan.deleted.map((k) => ({ change: 'delete', key: k.key, version: String(k.version) })),
  ];
}

function summary(plan: Plan): string {
  const counts = `${plan.created.length} created, ${plan.updated.length} updated, ${plan.deleted.length} deleted, ${plan.unchanged.length} unchanged`;
  return plan.dryRun ? `dry run, nothing changed: would be ${counts}` : counts;
}

/** The document of a namespace, as the service wrote it. */
export async function exportDocument(
  settings: Settings,
  nsId: string,
  documentFormat: Format,
  prefix: string | undefined,
): Promise<string> {
  return unwrap(
    await settings.client.GET('/api/v1/kv/{nsId}/export', {
      params: { path: { nsId }, query: { format: documentFormat, prefix } },
      parseAs: 'text',
    }),
  );
}

async function confirmed(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

/** kv export, kv import */
export function addTransferCommands(program: Command): void {
  program
    .command('export <namespace>')
    .description('write the namespace as a dotenv, JSON or YAML document')
    .option('--format <format>', FORMATS.join(', '), format, 'dotenv')
    .option('--prefix <keyPath>', 'only the keys under this key path, written without it')
    .option('--file <path>', 'write to this file (0600) instead of standard output')
    .action(
      async (
        ref: string,
        options: { format: Format; prefix?: string; file?: string },
        command: Command,
      ) => {
        const settings = settingsFor(command);
        const nsId = await namespaceId(settings.client, ref);
        const document = await exportDocument(settings, nsId, options.format, options.prefix);
        if (options.file === undefined) {
          process.stdout.write(document);
        } else {
          writeFileSync(options.file, document, { mode: 0o600 });
        }
      },
    );

  program
    .command('import <namespace> <file>')
    .description('import a dotenv, JSON or YAML document (- for standard input) in one transaction')
    .option('--format <format>', `${FORMATS.join(', ')} (default: by the file's extension)`, format)
    .option('--prefix <keyPath>', "store the document's keys under this key path")
    .option('--prune', 'also delete the keys (under the prefix) the document does not name')
    .option('--dry-run', 'show the plan and change nothing')
    .option('--yes', 'apply without asking, on a terminal too')
    .action(
      async (
        ref: string,
        file: string,
        options: {
          format?: Format;
          prefix?: string;
          prune?: boolean;
          dryRun?: boolean;
          yes?: boolean;
        },
        command: Command,
      ) => {
        const settings = settingsFor(command);
        const nsId = await namespaceId(settings.client, ref);
        const document =
          file === '-' ? (await readStdin()).toString('utf8') : readFileSync(file, 'utf8');
        const documentFormat = options.format ?? (file === '-' ? 'dotenv' : formatOfFile(file));
        const send = async (dryRun: boolean) =>
          unwrap(
            await settings.client.POST('/api/v1/kv/{nsId}/import', {
              params: {
                path: { nsId },
                query: {
                  format: documentFormat,
                  prefix: options.prefix,
                  prune: options.prune ?? false,
                  dryRun,
                },
              },
              body: document,
              bodySerializer: (body: string) => body,
              headers: { 'content-type': 'text/plain' },
            }),
          );
        const output = outputOf(settings, 'table');
        const show = (plan: Plan) => {
          print(plan, planRows(plan), PLAN_COLUMNS, output);
          process.stderr.write(`${summary(plan)}\n`);
        };
        const ask = !options.dryRun && !options.yes && process.stdin.isTTY && process.stderr.isTTY;
        if (ask && file !== '-') {
          const plan = await send(true);
          show(plan);
          if (planRows(plan).length === 0) {
            return;
          }
          if (!(await confirmed(`apply these changes to ${ref}? [y/N] `))) {
            throw new CliError('nothing changed');
          }
        }
        show(await send(options.dryRun ?? false));
      },
    );
}
