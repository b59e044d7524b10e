import type { MasterKey } from '../config/kv-config.types';

/** The master keys this process holds: the first wraps new data keys, all of them unwrap. */
export class MasterKeyRing {
  private readonly byId: ReadonlyMap<string, Buffer>;

  constructor(private readonly keys: MasterKey[]) {
    if (keys.length === 0) {
      throw new Error('a master key ring needs at least one key');
    }
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  get active(): MasterKey {
    return this.keys[0];
  }

  get(id: string): Buffer | undefined {
    return this.byId.get(id);
  }

  get ids(): string[] {
    return this.keys.map((k) => k.id);
  }
}
