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
import { PROGRESS_MIN_KEYS, SILENT, progress } from '../progress';
import { integerOption, readStdin } from '../values';

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
  return plan.dryRun
    ? `dry run, nothing changed: would be ${counts} (planned at revision ${plan.revision})`
    : `${counts} (revision ${plan.revision})`;
}

/** What an export asks for. */
export interface ExportQuery {
  format: Format;
  prefix?: string;
  asOfRevision?: number;
}

/** A document as the service wrote it, and the namespace revision it is. */
export interface ExportedDocument {
  document: string;
  revision: number;
}

/** Reads a body to its end, moving a bar by its bytes when the export holds many keys. */
async function readBody(response: Response, body: ReadableStream<Uint8Array>): Promise<string> {
  const keys = Number(response.headers.get('x-kv-keys') ?? 0);
  const bytes = Number(response.headers.get('content-length') ?? 0);
  const bar = keys >= PROGRESS_MIN_KEYS ? progress(`export ${keys} keys`, bytes, 'bytes') : SILENT;
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(Buffer.from(chunk));
      received += chunk.byteLength;
      bar.update(received);
    }
  } finally {
    bar.stop();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The document of a namespace, as the service wrote it, with its revision. */
export async function exportDocument(
  settings: Settings,
  nsId: string,
  query: ExportQuery,
): Promise<ExportedDocument> {
  const result = await settings.client.GET('/api/v1/kv/{nsId}/export', {
    params: { path: { nsId }, query },
    parseAs: 'stream',
  });
  const body = unwrap(result) as ReadableStream<Uint8Array> | null;
  const document = body === null ? '' : await readBody(result.response, body);
  return { document, revision: Number(result.response.headers.get('x-kv-revision') ?? 0) };
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
    .option(
      '--as-of-revision <revision>',
      'the entries as this past revision left them',
      integerOption('--as-of-revision'),
    )
    .action(
      async (
        ref: string,
        options: { format: Format; prefix?: string; file?: string; asOfRevision?: number },
        command: Command,
      ) => {
        const settings = settingsFor(command);
        const nsId = await namespaceId(settings.client, ref);
        const { format: documentFormat, prefix, asOfRevision } = options;
        const { document } = await exportDocument(settings, nsId, {
          format: documentFormat,
          prefix,
          asOfRevision,
        });
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
    .option(
      '--expected-revision <revision>',
      'apply only if the namespace is still at this revision (409 REVISION_CONFLICT otherwise)',
      integerOption('--expected-revision'),
    )
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
          expectedRevision?: number;
        },
        command: Command,
      ) => {
        const settings = settingsFor(command);
        const nsId = await namespaceId(settings.client, ref);
        const document =
          file === '-' ? (await readStdin()).toString('utf8') : readFileSync(file, 'utf8');
        const documentFormat = options.format ?? (file === '-' ? 'dotenv' : formatOfFile(file));
        const send = async (dryRun: boolean, expectedRevision = options.expectedRevision) =>
          unwrap(
            await settings.client.POST('/api/v1/kv/{nsId}/import', {
              params: {
                path: { nsId },
                query: {
                  format: documentFormat,
                  prefix: options.prefix,
                  prune: options.prune ?? false,
                  dryRun,
                  expectedRevision,
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
          // What was confirmed is what is applied: a change meanwhile fails it (409).
          show(await send(false, plan.revision));
          return;
        }
        show(await send(options.dryRun ?? false));
      },
    );
}
