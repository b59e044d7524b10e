import type { Command } from 'commander';
import { unwrap } from '../cli-error';
import { settingsFor } from '../command-settings';
import { profilePath, writeProfile } from '../profile';
import type { GlobalOptions } from '../settings';

/** kv login */
export function loginCommand(program: Command): void {
  program
    .command('login')
    .description(
      'check --url and --token (or KV_URL and KV_TOKEN) and keep them in the profile file (0600)',
    )
    .action(async (_options: unknown, command: Command) => {
      const settings = settingsFor(command);
      unwrap(
        await settings.client.GET('/api/v1/kv/namespaces', { params: { query: { limit: 1 } } }),
      );
      const options = command.optsWithGlobals<GlobalOptions>();
      const path = profilePath(process.env);
      writeProfile(path, {
        url: settings.url,
        token: options.token ?? process.env.KV_TOKEN,
      });
      process.stderr.write(`logged in to ${settings.url}; saved in ${path}\n`);
    });
}
