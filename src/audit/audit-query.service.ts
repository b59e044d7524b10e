import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { invalidField } from '../common/errors/kv.exception';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { Page, toPage } from '../common/pagination/page';
import type { Principal } from '../permissions/principal';
import { AuditAction } from './audit-action.enum';
import { AuditLogDto } from './dto/audit-log.dto';
import { AuditQueryDto } from './dto/audit-query.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A logical audit row: a stored row, or one key of a bulk call's stored row (`ord` ≥ 1). */
interface AuditRow {
  row_id: string;
  ord: string;
  id: string;
  application_id: string | null;
  namespace_id: string | null;
  entry_id: string | null;
  key_path: string | null;
  action: AuditAction;
  user_id: string | null;
  success: boolean;
  status_code: number;
  request_id: string;
  timestamp: Date;
}

// Every stored row with its keys: a plain row is its own (ord 0); a bulk call's row gives one
// per key, and a key of a successful call that found no entry counts as the 404 it was. A key's
// id is the RFC 4122 name-based (version 3, MD5) UUID of the stored row's id as namespace and
// the key's position as name: stable for paging, distinct per key, and a valid UUID (a bare md5
// cast to uuid has random version and variant bits, which UUID validators reject).
const LOGICAL_ROWS = `
  SELECT a.id AS row_id, k.ord::text AS ord, k.id,
    a.application_id, a.namespace_id, k.entry_id, k.key_path, a.action, a.user_id,
    CASE WHEN k.ord > 0 AND a.success AND k.entry_id IS NULL THEN false ELSE a.success END AS success,
    CASE WHEN k.ord > 0 AND a.success AND k.entry_id IS NULL THEN 404 ELSE a.status_code END
      AS status_code,
    a.request_id, a.timestamp
  FROM audit_log a
  CROSS JOIN LATERAL (
    SELECT a.key_path, a.entry_id, 0::bigint AS ord, a.id WHERE a.key_paths IS NULL
    UNION ALL
    SELECT u.key_path, u.entry_id, u.ord,
      encode(set_byte(set_byte(u.hash, 6, (get_byte(u.hash, 6) & 15) | 48),
        8, (get_byte(u.hash, 8) & 63) | 128), 'hex')::uuid
    FROM (
      SELECT v.key_path, v.entry_id, v.ord,
        decode(md5(uuid_send(a.id) || convert_to(v.ord::text, 'UTF8')), 'hex') AS hash
      FROM unnest(a.key_paths, a.entry_ids) WITH ORDINALITY AS v(key_path, entry_id, ord)
    ) u
  ) k`;

function instant(field: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw invalidField(field, 'is not a valid ISO-8601 instant');
  }
  return date;
}

/** The audit query: newest first, only the caller's applications. */
@Injectable()
export class AuditQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(principal: Principal, query: AuditQueryDto): Promise<Page<AuditLogDto>> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const where = (sql: (param: string) => string, value: unknown) => {
      values.push(value);
      conditions.push(sql(`$${values.length}`));
    };
    const scope = principal.applicationScope;
    if (scope !== undefined) {
      // Rows without an application (a request that named no existing namespace) belong to
      // no tenant: only callers of all applications see them.
      where((p) => `a.application_id = ANY(${p}::text[])`, scope);
    }
    if (query.namespaceId !== undefined) {
      where((p) => `a.namespace_id = ${p}::uuid`, query.namespaceId);
    }
    if (query.keyPath !== undefined) {
      where((p) => `k.key_path = ${p}`, query.keyPath);
    }
    if (query.action !== undefined) {
      where((p) => `a.action = ${p}`, query.action);
    }
    if (query.userId !== undefined) {
      where((p) => `a.user_id = ${p}`, query.userId);
    }
    if (query.from !== undefined) {
      where((p) => `a.timestamp >= ${p}`, instant('from', query.from));
    }
    if (query.to !== undefined) {
      where((p) => `a.timestamp < ${p}`, instant('to', query.to));
    }
    if (query.cursor !== undefined) {
      const [timestamp, rowId, ord] = decodeCursor(query.cursor, 3);
      const at = new Date(timestamp);
      if (!UUID.test(rowId) || !/^\d{1,6}$/.test(ord) || Number.isNaN(at.getTime())) {
        throw invalidField('cursor', 'is not a cursor returned by this list');
      }
      // The first condition lets the (timestamp, id) index start at the cursor.
      values.push(at, rowId, ord);
      const [pAt, pRow, pOrd] = [values.length - 2, values.length - 1, values.length];
      conditions.push(
        `(a.timestamp, a.id) <= ($${pAt}, $${pRow}::uuid)`,
        `(a.timestamp, a.id, k.ord) < ($${pAt}, $${pRow}::uuid, $${pOrd}::bigint)`,
      );
    }
    const filters = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    values.push(query.limit + 1);
    let sql = `${LOGICAL_ROWS} ${filters}
      ORDER BY a.timestamp DESC, a.id DESC, k.ord DESC LIMIT $${values.length}`;
    if (query.success !== undefined) {
      // The outcome of a bulk call's key is derived, so it is filtered after unpacking.
      values.push(query.success);
      sql = `SELECT * FROM (${LOGICAL_ROWS} ${filters}) r WHERE r.success = $${values.length}
        ORDER BY r.timestamp DESC, r.row_id DESC, r.ord::bigint DESC LIMIT $${values.length - 1}`;
    }
    const rows = await this.dataSource.query<AuditRow[]>(sql, values);
    return toPage(
      rows,
      query.limit,
      (row) => encodeCursor([row.timestamp.toISOString(), row.row_id, row.ord]),
      (row) => AuditLogDto.from(row),
    );
  }
}
