import { startPostgres } from './postgres-server';

/** PostgreSQL is left running, whatever happened to the suites. */
export default async function teardown(): Promise<void> {
  await startPostgres();
}
