import cluster from 'node:cluster';

/** This process's id among the cluster's workers (KV_WORKERS > 1); undefined when it runs alone. */
export function workerId(): number | undefined {
  return cluster.isWorker ? cluster.worker?.id : undefined;
}
