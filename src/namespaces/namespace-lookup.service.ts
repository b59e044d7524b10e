import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { AuditContext } from '../audit/audit-context';
import type { Principal } from '../permissions/principal';
import { NamespaceCache } from './namespace-cache';
import { NamespaceEntity } from './namespace.entity';
import { namespaceNotFound } from './namespace.errors';

/**
 * May this caller see namespace X: the one place that answers it. A namespace of another
 * application is answered exactly as a missing one (404), and its owner's auditors still see
 * the attempt.
 */
@Injectable()
export class NamespaceLookup {
  constructor(
    @InjectRepository(NamespaceEntity) private readonly namespaces: Repository<NamespaceEntity>,
    private readonly cache: NamespaceCache,
  ) {}

  /**
   * The namespace if it exists and the caller's applications include its own; otherwise "not
   * found", identical in both cases. For reads that load the namespace in their own query.
   */
  visible<T extends Pick<NamespaceEntity, 'applicationId'>>(
    caller: Principal,
    audit: AuditContext,
    id: string,
    namespace: T | null | undefined,
  ): T {
    if (!namespace) {
      throw namespaceNotFound(id);
    }
    audit.forApplication(namespace.applicationId);
    if (!caller.canAccess(namespace.applicationId)) {
      throw namespaceNotFound(id);
    }
    return namespace;
  }

  /**
   * The namespace record, if the caller may see it: from the cache when it holds it and the
   * caller belongs to its application (anyone else waits for the database, as for a missing
   * namespace), for the entry operations.
   */
  async find(
    caller: Principal,
    audit: AuditContext,
    id: string,
  ): Promise<Readonly<NamespaceEntity>> {
    const cached = this.cache.get(id);
    if (cached && caller.canAccess(cached.applicationId)) {
      return this.visible(caller, audit, id, cached);
    }
    const ticket = this.cache.ticket(id);
    const found = await this.namespaces.findOneBy({ id });
    if (found) {
      this.cache.offer(found, ticket);
    }
    return this.visible(caller, audit, id, found);
  }

  /** The namespace record as stored now, if the caller may see it (the namespace routes). */
  async findStored(caller: Principal, audit: AuditContext, id: string): Promise<NamespaceEntity> {
    return this.visible(caller, audit, id, await this.namespaces.findOneBy({ id }));
  }

  /**
   * The namespace of this application and name, if the caller may see it; a foreign one is
   * looked up as well, so that it answers as a missing one does, in time too.
   */
  async findByName(
    caller: Principal,
    audit: AuditContext,
    applicationId: string,
    name: string,
  ): Promise<NamespaceEntity> {
    const found = await this.namespaces.findOneBy({ applicationId, name });
    const visible = this.visible(caller, audit, `${applicationId}:${name}`, found);
    audit.forNamespace(visible.id);
    return visible;
  }
}
