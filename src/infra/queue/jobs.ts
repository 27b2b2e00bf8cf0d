import type { JobsOptions } from 'bullmq';

// Every queue, job name, payload and retry policy, declared once. Payloads
// carry ids only: a handler reloads the state it needs from Postgres, so a
// job can always be re-derived from the database after Redis is lost.

export enum QueueName {
  Maintenance = 'maintenance',
}

export enum JobName {
  PurgeExpiredEnrollmentCodes = 'endpoints.purge-expired-enrollment-codes',
}

export interface JobPayloads {
  [JobName.PurgeExpiredEnrollmentCodes]: Record<string, never>;
}

interface JobDefinition {
  queue: QueueName;
  options: JobsOptions;
}

const retryTransientFailures: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const JOBS: Record<JobName, JobDefinition> = {
  [JobName.PurgeExpiredEnrollmentCodes]: { queue: QueueName.Maintenance, options: retryTransientFailures },
};

export const QUEUE_CONCURRENCY: Record<QueueName, number> = {
  [QueueName.Maintenance]: 1,
};
