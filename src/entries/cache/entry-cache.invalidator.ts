import { Injectable } from '@nestjs/common';
import { ChangeFeed } from '../../events/change-feed.service';
import { EntryCache } from './entry-cache';

/**
 * Tells the entry cache of every committed change, this process's own at commit and every
 * replica's through the change feed; the cache serves only while the feed follows the
 * outbox (never with the embedded database, where nothing polls).
 */
@Injectable()
export class EntryCacheInvalidator {
  constructor(feed: ChangeFeed, cache: EntryCache) {
    feed.subscribe({
      changed: (changes) => cache.changed(changes),
      following: (up) => cache.setFollowing(up),
    });
  }
}
