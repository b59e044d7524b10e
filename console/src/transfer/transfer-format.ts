import type { Schemas } from '../api/kv-client.js';

export type TransferFormat = Schemas['TransferFormat'];

export const FORMATS: { value: TransferFormat; label: string; extension: string }[] = [
  { value: 'dotenv', label: '.env (dotenv)', extension: 'env' },
  { value: 'json', label: 'JSON', extension: 'json' },
  { value: 'yaml', label: 'YAML', extension: 'yaml' },
];

/** The format a picked file is in, by its name: .json, .yaml/.yml, and dotenv for the rest. */
export function formatOfFile(name: string): TransferFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) {
    return 'json';
  }
  return lower.endsWith('.yaml') || lower.endsWith('.yml') ? 'yaml' : 'dotenv';
}

/** The name an exported namespace is saved as: `payments.env`, `payments.json`, … */
export function exportFileName(namespaceName: string, format: TransferFormat): string {
  const extension = FORMATS.find((item) => item.value === format)?.extension ?? 'txt';
  return `${namespaceName}.${extension}`;
}
