import { EventEmitter } from 'node:events';
import { NotificationListener } from './notification-listener';

class MockClient extends EventEmitter {
  static made: MockClient[] = [];
  static refuse = false;
  readonly queries: string[] = [];
  readonly connect = jest.fn(() =>
    MockClient.refuse ? Promise.reject(new Error('ECONNREFUSED')) : Promise.resolve(),
  );
  readonly end = jest.fn(() => Promise.resolve());

  constructor() {
    super();
    MockClient.made.push(this);
  }

  query(sql: string): Promise<void> {
    this.queries.push(sql);
    return Promise.resolve();
  }
}

jest.mock('pg', () => ({ Client: jest.fn(() => new MockClient()) }));

const RETRY_MS = 5000;

describe('NotificationListener', () => {
  let onNotify: jest.Mock;
  let sut: NotificationListener;
  let listening: jest.Mock;

  beforeEach(async () => {
    jest.useFakeTimers();
    MockClient.made = [];
    MockClient.refuse = false;
    onNotify = jest.fn();
    listening = jest.fn();
    sut = new NotificationListener(
      'postgres://db/kv',
      'kv_outbox',
      { notify: onNotify, listening },
      RETRY_MS,
    );
    sut.start();
    await jest.advanceTimersByTimeAsync(0);
  });

  afterEach(async () => {
    await sut.stop();
    jest.useRealTimers();
  });

  it('listens on the channel and passes notifications on', () => {
    expect(MockClient.made).toHaveLength(1);
    expect(MockClient.made[0].queries).toEqual(['LISTEN kv_outbox']);
    MockClient.made[0].emit('notification', { channel: 'kv_outbox', payload: 'ns-1' });
    expect(onNotify).toHaveBeenCalledWith('ns-1');
    expect(listening.mock.calls).toEqual([[true]]);
  });

  it('reconnects once per lost connection, however often the loss is reported', async () => {
    const lost = MockClient.made[0];
    lost.emit('error', new Error('terminating connection due to administrator command'));
    lost.emit('error', new Error('Connection terminated unexpectedly'));
    lost.emit('end');
    await jest.advanceTimersByTimeAsync(RETRY_MS);
    expect(MockClient.made).toHaveLength(2);
    expect(MockClient.made[1].queries).toEqual(['LISTEN kv_outbox']);
    // Down once, up again once: a cache that relies on it is voided exactly when it must be.
    expect(listening.mock.calls).toEqual([[true], [false], [true]]);
    lost.emit('error', new Error('late report of the old connection'));
    await jest.advanceTimersByTimeAsync(RETRY_MS * 3);
    expect(MockClient.made).toHaveLength(2);
  });

  it('keeps trying while the database refuses connections', async () => {
    MockClient.refuse = true;
    MockClient.made[0].emit('error', new Error('Connection terminated unexpectedly'));
    await jest.advanceTimersByTimeAsync(RETRY_MS * 3);
    expect(MockClient.made).toHaveLength(4);
    MockClient.refuse = false;
    await jest.advanceTimersByTimeAsync(RETRY_MS * 3);
    expect(MockClient.made).toHaveLength(5);
    expect(MockClient.made[4].queries).toEqual(['LISTEN kv_outbox']);
  });

  it('stops reconnecting once stopped', async () => {
    await sut.stop();
    MockClient.made[0].emit('error', new Error('Connection terminated unexpectedly'));
    await jest.advanceTimersByTimeAsync(RETRY_MS * 3);
    expect(MockClient.made).toHaveLength(1);
    expect(MockClient.made[0].end).toHaveBeenCalled();
  });
});
