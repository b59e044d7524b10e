import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException, invalidField } from '../common/errors/kv.exception';
import type { AtRevision } from '../common/http/revision-header';
import type { KvConfig } from '../config/kv-config.types';
import {
  HistoryReader,
  type Change,
  type ChangesPage,
} from '../entries/store/history-reader.service';
import { NamespaceLookup } from '../namespaces/namespace-lookup.service';
import type { Principal } from '../permissions/principal';
import type { ChangeSink } from './change-sink';
import { ChangeDto } from './dto/change.dto';
import type { ChangesPageDto } from './dto/changes-page.dto';
import type { ChangesQueryDto } from './dto/changes-query.dto';
import { WatchHub } from './watch-hub.service';

/** Where a watch starts: after this revision, or (undefined) after the current one. */
type Since = number | undefined;

/** The changes of one revision, as one event of a stream. */
interface RevisionEvent {
  revision: number;
  items: ChangeDto[];
}

/**
 * The watch of a namespace's changes, by revision: answered at once or after a wait
 * (long-poll), or streamed as Server-Sent Events, each event one revision with `id:` its
 * number. Every change reaches a watcher exactly once and in order, resumably: a position is
 * only ever past what was answered.
 */
@Injectable()
export class ChangesService {
  private readonly heartbeatMs: number;

  constructor(
    private readonly history: HistoryReader,
    private readonly namespaces: NamespaceLookup,
    private readonly hub: WatchHub,
    private readonly audit: AuditService,
    config: ConfigService<KvConfig, true>,
  ) {
    this.heartbeatMs = config.get('history.heartbeatSeconds', { infer: true }) * 1000;
  }

  /** The changes after sinceRevision, waiting up to waitSeconds for one when there is none. */
  async poll(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    query: ChangesQueryDto,
  ): Promise<AtRevision<ChangesPageDto>> {
    const leave = this.hub.enter();
    try {
      const namespace = await this.namespaces.find(caller, audit, namespaceId);
      const deadline = Date.now() + query.waitSeconds * 1000;
      let since: Since = query.sinceRevision;
      for (;;) {
        const page = await this.read(namespace.id, since, query);
        since ??= page.revision;
        const left = deadline - Date.now();
        if (page.changes.length > 0 || left <= 0 || this.hub.isStopping) {
          // The row is written before the answer, as for every read; the interceptor then skips it.
          await this.audit.record(audit, true, audit.successStatus);
          return {
            body: {
              items: page.changes.map((change) => ChangeDto.from(change)),
              revision: page.position,
            },
            revision: page.revision,
          };
        }
        await this.hub.wait(namespace.id, left);
      }
    } finally {
      leave();
    }
  }

  /**
   * Streams the changes after `since` (Last-Event-ID, else sinceRevision, else the current
   * revision) until the client goes, the service stops, or the client reads too slowly: then
   * it is cut with an `overflow` event naming the last revision it was sent, to resume from.
   */
  async stream(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    query: ChangesQueryDto,
    lastEventId: string | undefined,
    sink: ChangeSink,
  ): Promise<void> {
    const leave = this.hub.enter();
    try {
      const namespace = await this.namespaces.find(caller, audit, namespaceId);
      const since = resumeFrom(lastEventId) ?? query.sinceRevision;
      const page = await this.read(namespace.id, since, query);
      // One audit row per watch, written as it starts: a stream may last for hours.
      await this.audit.record(audit, true, audit.successStatus);
      sink.open(page.revision);
      const stopWatching = this.hub.onShutdown(() => sink.end());
      try {
        await this.follow(namespace.id, page, since ?? page.revision, query, sink);
      } finally {
        stopWatching();
        sink.end();
      }
    } finally {
      leave();
    }
  }

  private async follow(
    namespaceId: string,
    first: ChangesPage,
    since: number,
    query: ChangesQueryDto,
    sink: ChangeSink,
  ): Promise<void> {
    let page = first;
    let sent = since;
    let lastBeat = 0;
    for (;;) {
      for (const event of byRevision(page.changes)) {
        if (sink.closed) {
          return;
        }
        if (sink.overflowed) {
          sink.send('overflow', { revision: sent });
          return;
        }
        sink.send('change', event, event.revision);
        sent = event.revision;
      }
      if (!page.cut) {
        // Every revision up to the position was looked at: the heartbeat's id moves the
        // client's Last-Event-ID past revisions with nothing under its prefix.
        if (page.position > sent || Date.now() - lastBeat >= this.heartbeatMs) {
          sent = Math.max(sent, page.position);
          sink.send('heartbeat', { revision: page.revision }, sent);
          lastBeat = Date.now();
        }
        await Promise.race([
          this.hub.wait(namespaceId, Math.max(1, lastBeat + this.heartbeatMs - Date.now())),
          sink.whenClosed,
        ]);
      }
      if (sink.closed || this.hub.isStopping) {
        return;
      }
      try {
        page = await this.read(namespaceId, sent, query);
      } catch (error) {
        // The client resumes where it was: from its Last-Event-ID, after what it got.
        if (error instanceof KvException && error.code === ErrorCode.REVISION_COMPACTED) {
          sink.send('compacted', { revision: error.revision });
        }
        return;
      }
    }
  }

  /** A page of changes after `since`: 400 for a revision ahead of the namespace, 410 for one compacted. */
  private async read(
    namespaceId: string,
    since: Since,
    query: ChangesQueryDto,
  ): Promise<ChangesPage> {
    const page = await this.history.changesSince(
      namespaceId,
      since,
      query.prefix ?? '',
      query.limit,
    );
    if (page === undefined) {
      // Deleted meanwhile.
      throw new KvException(
        ErrorCode.NAMESPACE_NOT_FOUND,
        `namespace ${namespaceId} does not exist`,
      );
    }
    if (since !== undefined && since > page.revision) {
      throw invalidField(
        'sinceRevision',
        `${since} is ahead of the namespace's revision ${page.revision}`,
      );
    }
    if (since !== undefined && since < page.compacted) {
      throw new KvException(
        ErrorCode.REVISION_COMPACTED,
        `revision ${since} is older than the history kept: read the namespace and watch from revision ${page.revision}, or from ${page.compacted}, the oldest still readable`,
        undefined,
        page.compacted,
      );
    }
    return page;
  }
}

/** A stream's Last-Event-ID as a revision: 400 unless a non-negative integer. */
function resumeFrom(lastEventId: string | undefined): number | undefined {
  if (lastEventId === undefined || lastEventId === '') {
    return undefined;
  }
  const revision = Number(lastEventId);
  if (!/^\d{1,16}$/.test(lastEventId) || !Number.isSafeInteger(revision)) {
    throw invalidField('Last-Event-ID', 'must be a revision (a non-negative integer)');
  }
  return revision;
}

/** Changes grouped by revision, in order. */
function byRevision(changes: Change[]): RevisionEvent[] {
  const events: RevisionEvent[] = [];
  for (const change of changes) {
    const last = events[events.length - 1];
    if (last?.revision === change.revision) {
      last.items.push(ChangeDto.from(change));
    } else {
      events.push({ revision: change.revision, items: [ChangeDto.from(change)] });
    }
  }
  return events;
}
