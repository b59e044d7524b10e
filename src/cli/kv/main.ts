#!/usr/bin/env node
import { Command, Option } from 'commander';
import { CliError } from './cli-error';
import { auditCommand } from './commands/audit.command';
import { addEntryCommands } from './commands/entries.command';
import { loginCommand } from './commands/login.command';
import { namespacesCommand } from './commands/namespaces.command';
import { runCommand } from './commands/run.command';
import { addSecretCommands } from './commands/secrets.command';
import { addTransferCommands } from './commands/transfer.command';

/** The kv command line: KV Service from a terminal or a script, through the generated client. */
function program(): Command {
  const kv = new Command('kv')
    .description('KV Service from the command line')
    .option('--url <url>', 'the service, such as http://127.0.0.1:3000 (or KV_URL, or the profile)')
    .option('--token <jwt>', 'the bearer token (or KV_TOKEN, or the profile)')
    .addOption(
      new Option('-o, --output <format>', 'json, table or raw (one name a line)').choices([
        'json',
        'table',
        'raw',
      ]),
    )
    .showHelpAfterError();
  kv.addCommand(namespacesCommand());
  addEntryCommands(kv);
  addSecretCommands(kv);
  addTransferCommands(kv);
  auditCommand(kv);
  runCommand(kv);
  loginCommand(kv);
  return kv;
}

function failure(error: unknown): string {
  if (error instanceof CliError) {
    return error.message;
  }
  // fetch names the network fault in its cause (ECONNREFUSED, ENOTFOUND).
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error instanceof TypeError && cause !== undefined) {
    return `cannot reach the service: ${cause.code ?? cause.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

program()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`kv: ${failure(error)}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  });
