import type { Command } from 'commander';
import { GlobalOptions, OutputFormat, Settings, settingsOf } from './settings';

/** The settings of the command being run, from its own and the global options. */
export function settingsFor(command: Command): Settings {
  return settingsOf(command.optsWithGlobals<GlobalOptions>(), process.env);
}

/** The output format asked for, or the command's own default. */
export function outputOf(settings: Settings, fallback: OutputFormat): OutputFormat {
  return settings.output ?? fallback;
}
