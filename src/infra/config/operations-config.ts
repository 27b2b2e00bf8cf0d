import { z } from 'zod';
import { integer } from './config-values';

/**
 * Running many processes (docs/operations.md, "A province"): the Prometheus
 * metrics endpoint, a worker's own health port, and how often the endpoints'
 * heartbeats held in Redis are written to Postgres.
 */
export const OPERATIONS_ENVIRONMENT = {
  // /metrics answers only a request bearing this token; unset, it is served on METRICS_PORT alone (or not at all).
  METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  // A separate port for /metrics (bind it where only Prometheus reaches); unset, /metrics is on the API port behind the token.
  METRICS_PORT: integer(1, 65535).optional(),
  // A worker has no API port: it answers GET /health (and /metrics, if METRICS_PORT is unset) here; 0 picks a free port.
  WORKER_HEALTH_PORT: integer(0, 65535).default(3001),
  HEARTBEAT_FLUSH_SECONDS: integer(1, 600).default(15),
};

export interface OperationsConfig {
  metrics: { token?: string; port?: number };
  workerHealthPort: number;
  /** How often the heartbeats kept in Redis (last seen, state, volume) are written to Postgres in one batch. */
  heartbeatFlushSeconds: number;
}

type OperationsEnvironment = z.infer<z.ZodObject<typeof OPERATIONS_ENVIRONMENT>>;

export function operationsConfig(e: OperationsEnvironment): OperationsConfig {
  return {
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT },
    workerHealthPort: e.WORKER_HEALTH_PORT,
    heartbeatFlushSeconds: e.HEARTBEAT_FLUSH_SECONDS,
  };
}
