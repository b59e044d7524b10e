import type { ConfigService } from '@nestjs/config';
import type { KvConfig } from '../../config/kv-config.types';
import { KvEventType } from '../../events/kv-event.types';
import { bury, purgeAtOnce } from './entry.sql';
import { Tombstones } from './tombstones.service';

describe('Tombstones', () => {
  const make = (days: number) =>
    new Tombstones({
      get: (path: string) => (path === 'recovery.secretRecoveryDays' ? days : undefined),
    } as unknown as ConfigService<KvConfig, true>);
  const secret = { id: 'ns-1', applicationId: 'app', isSecretNamespace: true };
  const plain = { ...secret, isSecretNamespace: false };
  const rows = [{ id: 'e-1', key_path: 'db/password', version: 3 }];

  it('keeps secrets recoverable for the window, and purges nothing at once', () => {
    const sut = make(7);
    expect(bury('$2', 'now()', 'true', sut.recoveryDays)).toContain('make_interval(days => 7)');
    expect(purgeAtOnce('buried', sut.recoveryDays, 'true')).toBe('');
    expect(sut.events(KvEventType.EntryDeleted, secret, rows, 'alice').map((e) => e.type)).toEqual([
      KvEventType.EntryDeleted,
    ]);
  });

  it('without a window, keeps nothing recoverable and announces the purge of secrets', () => {
    const sut = make(0);
    expect(bury('$2', 'now()', 'true', sut.recoveryDays)).toContain('CASE WHEN false');
    expect(purgeAtOnce('buried', sut.recoveryDays, 'true')).toContain('DELETE FROM entry_versions');
    const events = sut.events(KvEventType.EntryExpired, secret, rows, 'system:ttl-sweeper');
    expect(events.map((e) => [e.type, e.version, e.keyPath])).toEqual([
      [KvEventType.EntryExpired, 3, 'db/password'],
      [KvEventType.EntryPurged, 3, 'db/password'],
    ]);
    expect(sut.events(KvEventType.EntryDeleted, plain, rows, 'alice').map((e) => e.type)).toEqual([
      KvEventType.EntryDeleted,
    ]);
  });
});
