import { startPostgres } from './postgres-server';

/**
 * The resilience suites stop PostgreSQL, which would break any suite running beside them:
 * refuse to run them in parallel, and start from a server that is up (an interrupted run may
 * have left it stopped).
 */
export default async function setup(globalConfig: { maxWorkers: number }): Promise<void> {
  if (globalConfig.maxWorkers !== 1) {
    throw new Error(
      'The resilience project stops PostgreSQL: run it in band, alone (npm run test:resilience)',
    );
  }
  await startPostgres();
}
