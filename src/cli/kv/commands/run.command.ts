import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import { parse } from 'dotenv';
import { settingsFor } from '../command-settings';
import { namespaceId } from '../namespace-ref';
import type { Settings } from '../settings';
import { integerOption } from '../values';
import { watchBursts } from '../watch-feed';
import { exportDocument } from './transfer.command';

const FORWARDED: NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
];
/** The most --quiet can be: the longest wait the watch feed allows. */
const MAX_QUIET_SECONDS = 60;
/** How long a command stopped for a restart has before it is killed. */
const STOP_GRACE_MS = 10_000;

interface RunOptions {
  ns: string;
  prefix?: string;
  watch?: boolean;
  quiet: number;
}

function quietSeconds(value: string): number {
  const seconds = integerOption('--quiet')(value);
  if (seconds > MAX_QUIET_SECONDS) {
    throw new InvalidArgumentError(`--quiet is at most ${MAX_QUIET_SECONDS} seconds`);
  }
  return seconds;
}

function start(argv: string[], document: string): ChildProcess {
  const [file, ...args] = argv;
  return spawn(file, args, { stdio: 'inherit', env: { ...process.env, ...parse(document) } });
}

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The feed prefix of an export prefix: `config` or `config/` → `config/`. */
function feedPrefix(prefix: string | undefined): string {
  const path = prefix?.replace(/\/$/, '') ?? '';
  return path === '' ? '' : `${path}/`;
}

/**
 * Runs the command with the namespace's variables (the names of its dotenv export) added to
 * the environment; forwards signals to it and ends as it ends (its exit code, or its signal).
 * With --watch, follows the namespace's watch feed and restarts the command once per burst of
 * changes (once the feed has been quiet for --quiet seconds) if its variables changed.
 */
async function run(settings: Settings, argv: string[], options: RunOptions): Promise<void> {
  const nsId = await namespaceId(settings.client, options.ns);
  const fetchDocument = () =>
    exportDocument(settings, nsId, { format: 'dotenv', prefix: options.prefix });
  const first = await fetchDocument();
  let document = first.document;
  let child = start(argv, document);
  let restarting = false;
  for (const signal of FORWARDED) {
    process.on(signal, () => child.kill(signal));
  }
  let finished = false;
  let finish: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    if (restarting || finished) {
      return;
    }
    finished = true;
    finish();
    if (signal === null) {
      process.exitCode = code ?? 1;
      return;
    }
    // End as the command ended: by its signal (128 + its number if that does not end us).
    process.exitCode = 128 + (constants.signals[signal] ?? 0);
    for (const forwarded of FORWARDED) {
      process.removeAllListeners(forwarded);
    }
    process.kill(process.pid, signal);
  };
  // A command that cannot start (not found, not executable) ends the run as a shell would.
  const onError = (error: NodeJS.ErrnoException) => {
    process.stderr.write(`kv: cannot run ${argv[0]}: ${error.code ?? error.message}\n`);
    process.exitCode = error.code === 'ENOENT' ? 127 : 126;
    finished = true;
    finish();
  };
  child.once('exit', onExit);
  child.once('error', onError);
  if (options.watch) {
    const stop = new AbortController();
    void ended.then(() => stop.abort());
    const restart = async () => {
      const latest = await fetchDocument();
      if (latest.document !== document && !finished) {
        document = latest.document;
        process.stderr.write(`kv: ${options.ns} changed; restarting ${argv[0]}\n`);
        restarting = true;
        await stopped(child);
        restarting = false;
        child = start(argv, document);
        child.once('exit', onExit);
        child.once('error', onError);
      }
      return latest.revision;
    };
    void watchBursts(
      settings,
      {
        nsId,
        prefix: feedPrefix(options.prefix),
        quietSeconds: options.quiet,
        signal: stop.signal,
        warn: (line) => process.stderr.write(`kv: ${options.ns}: ${line}\n`),
      },
      first.revision,
      restart,
    );
  }
  await ended;
}

/** kv run */
export function runCommand(program: Command): void {
  program
    .command('run')
    .description("run a command with the namespace's variables in its environment")
    .requiredOption('--ns <namespace>', 'the namespace, by id or applicationId:name')
    .option('--prefix <keyPath>', 'only the keys under this key path, named without it')
    .option('--watch', 'restart the command when the namespace changes')
    .option(
      '--quiet <seconds>',
      'with --watch: how long the namespace must stay unchanged before the restart (0-60)',
      quietSeconds,
      1,
    )
    .argument('<command...>', 'the command and its arguments, after --')
    .action(async (argv: string[], options: RunOptions, command: Command) => {
      await run(settingsFor(command), argv, options);
    });
}
