import { randomBytes } from 'node:crypto';
import { KEYS_PER_NAMESPACE } from './bench-config';

export interface BenchNamespace {
  id: string;
  secret: boolean;
}

/** `app/config/k-00042`: zero-padded, so a prefix like `app/config/k-004` selects 100 keys. */
export const keyOf = (i: number) => `app/config/k-${String(i).padStart(5, '0')}`;

export const ALL_KEYS = Array.from({ length: KEYS_PER_NAMESPACE }, (_, i) => keyOf(i));

/** Ten prefixes of 100 keys each; a page of 50 is asked, so the service reads 51 rows. */
export const LIST_PREFIXES = Array.from({ length: 10 }, (_, d) => `app/config/k-00${d}`);

export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
export const randomKey = () => keyOf(Math.floor(Math.random() * KEYS_PER_NAMESPACE));
/** 40 characters, different on every write so each PUT really changes its entry. */
export const randomValue = () => `value-${randomBytes(17).toString('hex')}`;

export function randomKeys(count: number): string[] {
  const keys = new Set<string>();
  while (keys.size < count) {
    keys.add(randomKey());
  }
  return [...keys];
}

/** The exclusive upper bound of a prefix range (our prefixes end in an ASCII digit). */
export const prefixEnd = (prefix: string) =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

export interface KeyRef {
  ns: BenchNamespace;
  key: string;
}

/**
 * Every key of some namespaces in a uniformly random order, handed out one at a time: each read
 * of a cold scenario is of a key nobody read before. Past the last it starts over (the read
 * cache's hit share in the table would show it).
 */
export class ColdKeys {
  private readonly order: KeyRef[];
  private next = 0;

  constructor(namespaces: BenchNamespace[]) {
    this.order = namespaces.flatMap((ns) => ALL_KEYS.map((key) => ({ ns, key })));
    for (let i = this.order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
    }
  }

  take(): KeyRef {
    const ref = this.order[this.next];
    this.next = (this.next + 1) % this.order.length;
    return ref;
  }
}
