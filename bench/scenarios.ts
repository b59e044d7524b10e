import { Baseline } from './baseline';
import { API, BULK_GET_KEYS, PAGE_SIZE } from './bench-config';
import { HttpRequest } from './drive';
import { etcdPut, etcdRange } from './etcd';
import {
  ALL_KEYS,
  BenchNamespace,
  ColdKeys,
  KeyRef,
  LIST_PREFIXES,
  pick,
  randomKey,
  randomKeys,
  randomValue,
} from './key-space';

export type ScenarioId =
  | 'get-plain'
  | 'get-secret'
  | 'mixed'
  | 'put-plain'
  | 'put-secret'
  | 'list'
  | 'bulk-get'
  | 'hot-get';

export interface Scenario {
  id: ScenarioId;
  name: string;
  /** The next request to the service. */
  request: () => HttpRequest;
  /**
   * Hot reads only: every key the scenario reads, read once before the warm-up. No other
   * scenario warms anything: their warm-ups read keys the runs will not.
   */
  warm?: HttpRequest[];
  /** The same work against etcd's JSON gateway, where etcd has it. */
  etcd?: () => HttpRequest;
  /** The same work straight through pg. */
  baseline: () => Promise<void>;
}

/** etcd holds each plain key under the namespace's index: `bench/<n>/<key>`. */
export const etcdKeyOf = (index: number, key: string) => `bench/${index}/${key}`;

const entryPath = ({ ns, key }: KeyRef) => `${API}/${ns.id}/entries/${encodeURIComponent(key)}`;
const listPath = (ns: BenchNamespace, prefix: string) =>
  `${API}/${ns.id}/entries?prefix=${encodeURIComponent(prefix)}&includeValues=true&limit=${PAGE_SIZE}`;

export interface ScenarioData {
  plain: BenchNamespace[];
  secret: BenchNamespace[];
  /** One plain namespace of its own, for the hot reads. */
  hot: BenchNamespace;
  baseline: Baseline;
}

export function scenarios({ plain, secret, hot, baseline }: ScenarioData): Scenario[] {
  // One order for the cold reads of plain keys (GET plain, then the GETs of mixed): no key is
  // read twice until every plain key has been.
  const coldPlain = new ColdKeys(plain);
  const coldSecret = new ColdKeys(secret);
  const get = (keys: ColdKeys) => (): HttpRequest => ({
    method: 'GET',
    path: entryPath(keys.take()),
  });
  const put = (from: BenchNamespace[]) => (): HttpRequest => ({
    method: 'PUT',
    path: entryPath({ ns: pick(from), key: randomKey() }),
    body: JSON.stringify({ value: randomValue(), valueType: 'STRING' }),
  });
  const etcdKey = () => etcdKeyOf(Math.floor(Math.random() * plain.length), randomKey());
  const etcdGet = (): HttpRequest => ({
    method: 'POST',
    path: '/v3/kv/range',
    body: etcdRange(etcdKey()),
  });
  const etcdSet = (): HttpRequest => ({
    method: 'POST',
    path: '/v3/kv/put',
    body: etcdPut(etcdKey(), randomValue()),
  });
  const mixed =
    <T>(read: () => T, write: () => T) =>
    () =>
      Math.random() < 0.05 ? write() : read();
  return [
    {
      id: 'get-plain',
      name: 'cold GET plain',
      request: get(coldPlain),
      etcd: etcdGet,
      baseline: () => baseline.get(pick(plain)),
    },
    {
      id: 'get-secret',
      name: 'cold GET secret',
      request: get(coldSecret),
      baseline: () => baseline.get(pick(secret)),
    },
    {
      id: 'mixed',
      name: 'mixed 95 % cold GET / 5 % PUT, plain',
      request: mixed(get(coldPlain), put(plain)),
      etcd: mixed(etcdGet, etcdSet),
      baseline: mixed(
        () => baseline.get(pick(plain)),
        () => baseline.put(pick(plain)),
      ),
    },
    {
      id: 'put-plain',
      name: 'PUT plain',
      request: put(plain),
      etcd: etcdSet,
      baseline: () => baseline.put(pick(plain)),
    },
    {
      id: 'put-secret',
      name: 'PUT secret',
      request: put(secret),
      baseline: () => baseline.put(pick(secret)),
    },
    {
      id: 'list',
      name: `list by prefix, ${PAGE_SIZE} with values, plain`,
      request: () => ({ method: 'GET', path: listPath(pick(plain), pick(LIST_PREFIXES)) }),
      baseline: () => baseline.list(pick(plain)),
    },
    {
      id: 'bulk-get',
      name: `bulk get of ${BULK_GET_KEYS} keys, plain`,
      request: () => ({
        method: 'POST',
        path: `${API}/${pick(plain).id}/bulk/get`,
        body: JSON.stringify({ keys: randomKeys(BULK_GET_KEYS) }),
      }),
      baseline: () => baseline.bulkGet(pick(plain), BULK_GET_KEYS),
    },
    {
      id: 'hot-get',
      name: 'hot GET plain (1000 keys, all read once first)',
      request: () => ({ method: 'GET', path: entryPath({ ns: hot, key: randomKey() }) }),
      warm: ALL_KEYS.map((key) => ({ method: 'GET' as const, path: entryPath({ ns: hot, key }) })),
      baseline: () => baseline.get(hot),
    },
  ];
}
