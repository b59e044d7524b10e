import { CacheGenerations } from './cache-generations';

/** What a read saw before it went to the database: it may fill a cache only if still current. */
export interface CacheTicket {
  readonly epoch: number;
  readonly generation: number;
}

/**
 * When something cached of a namespace is still current, for a cache fed by the change feed:
 * a read takes a ticket before it goes to the database, and what it found counts only while
 * no change of its namespace has been heard since and the feed has kept following (every
 * start or stop of following voids all tickets of before).
 */
export class CacheValidity {
  private readonly generations: CacheGenerations;
  private changes = 0;
  private epoch = 0;
  /** Whether the feed follows the outbox: while it does not, a change could go unheard. */
  following = false;

  /** `maxTracked`: namespaces whose last change is remembered (see CacheGenerations). */
  constructor(maxTracked: number) {
    this.generations = new CacheGenerations(maxTracked);
  }

  ticket(namespaceId: string): CacheTicket {
    return { epoch: this.epoch, generation: this.generations.of(namespaceId) };
  }

  isCurrent(namespaceId: string, ticket: CacheTicket): boolean {
    return (
      this.following &&
      ticket.epoch === this.epoch &&
      ticket.generation === this.generations.of(namespaceId)
    );
  }

  /** A change of the namespace was heard: tickets taken before it are void. */
  changed(namespaceId: string): void {
    this.generations.set(namespaceId, ++this.changes);
  }

  /** The feed starts or stops following: every ticket of before is void. */
  setFollowing(following: boolean): void {
    this.following = following;
    this.epoch += 1;
  }
}
