import type { JobsOptions } from 'bullmq';
import type { AppConfig } from '../config/config';

// Every queue, job name, payload and retry policy, declared once. Payloads
// carry ids only: a handler reloads the state it needs from Postgres, so a
// job can always be re-derived from the database after Redis is lost.

export enum QueueName {
  Maintenance = 'maintenance',
  Media = 'media',
  Schedule = 'schedule',
  Emergency = 'emergency',
  /**
   * An alert's playlists recompiled after its push, on a queue of their own:
   * a recompile takes hundreds of ms a county, and no other alert's push may wait behind one.
   */
  EmergencyPlaylists = 'emergency-playlists',
  /** Alert audio alone, with its own workers, so no backlog of routine media can hold an alert back. */
  AlertAudio = 'alert-audio',
  Civic = 'civic',
  /** Relayed streams: each job feeds an Icecast mount for as long as its broadcast airs. */
  Relay = 'relay',
  /** Packages of the EBD exchange going up to an upper emergency-broadcast platform. */
  Ebd = 'ebd',
  /** Notifications going out to webhooks (a county's SMS, WeChat Work or DingTalk relay). */
  Notifications = 'notifications',
}

/**
 * The queues an alert needs to go out: health reports degraded when one is
 * paused or stuck. Not emergency-playlists: the alert is out (pushed) before
 * its recompile, and a province's 88 recompiles may rightly wait longer than
 * the stall limit behind one another, which would fail health mid-emergency.
 */
export const EMERGENCY_QUEUES: readonly QueueName[] = [QueueName.Emergency, QueueName.AlertAudio];

export enum JobName {
  PurgeExpiredEnrollmentCodes = 'endpoints.purge-expired-enrollment-codes',
  ProcessMedia = 'media.process',
  ProcessAlertAudio = 'media.process-alert-audio',
  CompilePlaylists = 'schedule.compile-playlists',
  CheckReadiness = 'schedule.check-readiness',
  Reconcile = 'schedule.reconcile',
  DispatchEmergency = 'emergency.dispatch',
  RecompileForEmergency = 'emergency.recompile-playlists',
  RecordOnAirSessions = 'lectures.record-on-air',
  EscalateOrders = 'lectures.escalate-orders',
  ExportLedgerAnchor = 'ledger.export-anchor',
  RunRelay = 'relay.run',
  SendEbdPackage = 'ebd.send',
  DeliverWebhook = 'notifications.deliver-webhook',
}

export interface JobPayloads {
  [JobName.PurgeExpiredEnrollmentCodes]: Record<string, never>;
  /** Probe, normalise and encode one media row's input into its broadcast rendition. */
  [JobName.ProcessMedia]: { mediaId: string };
  /** The same, for the audio of an emergency alert. */
  [JobName.ProcessAlertAudio]: { mediaId: string };
  /** Recompile the playlists of a county (or of the subtrees under `roots`) for county dates. */
  [JobName.CompilePlaylists]: { countyCode: string; dates: string[]; roots?: string[] };
  /** Record which endpoints of a county are not ready for a date's broadcast. */
  [JobName.CheckReadiness]: { countyCode: string; date: string };
  /** Record, from receipts, what each endpoint of a county aired on a date. */
  [JobName.Reconcile]: { countyCode: string; date: string };
  /** Carry out the urgent part of one outbox row of an alert: activate it (push) or end it. */
  [JobName.DispatchEmergency]: { dispatchId: string };
  /** Then the rest of it: the alert's playlists recompiled with it in (preempted) or out. */
  [JobName.RecompileForEmergency]: { dispatchId: string };
  /** Complete a county's on-air lecture sessions of a date from what their broadcasts reached (after reconciliation). */
  [JobName.RecordOnAirSessions]: { countyCode: string; date: string };
  /** Send lecture orders not accepted or not delivered in time back to their dispatchers. */
  [JobName.EscalateOrders]: Record<string, never>;
  /** Write the signed head of the ledger at the end of a county date to LEDGER_ANCHOR_DIR. */
  [JobName.ExportLedgerAnchor]: { date: string };
  /** Pull a relay broadcast's outside stream into its Icecast mount on a county date, until its airing ends. */
  [JobName.RunRelay]: { broadcastId: string; date: string };
  /** POST one outbox package of the EBD exchange to its county's upper platform and record the answer. */
  [JobName.SendEbdPackage]: { packageId: string };
  /** POST one outbox row of a webhook (a notification or a digest of several) and record the answer. */
  [JobName.DeliverWebhook]: { deliveryId: string };
}

/**
 * One job per media row (enqueueing again while it waits or runs is a no-op):
 * an alert's audio on its own queue, everything else on the media queue.
 */
export function mediaProcessingJob(media: { id: string; forAlert: boolean }) {
  return media.forAlert
    ? { name: JobName.ProcessAlertAudio as const, jobId: `alert-audio-${media.id}` }
    : { name: JobName.ProcessMedia as const, jobId: `media-${media.id}` };
}
/** One job per relay and date, however often the sweep finds it due. */
export const relayJobId = (broadcastId: string, date: string) => `relay-${broadcastId}-${date}`;
/** One job per EBD package and attempt: a retry the outbox schedules is a job of its own. */
export const ebdSendJobId = (packageId: string, attempt: number) => `ebd-send-${packageId}-${attempt}`;
/** One job per webhook delivery and attempt: a retry the outbox schedules is a job of its own. */
export const webhookDeliveryJobId = (deliveryId: string, attempt: number) =>
  `webhook-delivery-${deliveryId}-${attempt}`;
/** One job per outbox row, however often the sweep finds it due. */
export const dispatchJobId = (dispatchId: string) => `emergency-dispatch-${dispatchId}`;
/** One recompile per outbox row once it is pushed, however often the sweep finds it not done. */
export const emergencyRecompileJobId = (dispatchId: string) => `emergency-recompile-${dispatchId}`;

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

// Media jobs fail for transient reasons (ffmpeg killed, disk full, Redis
// away) or for bad input, which the handler marks unrecoverable so it is
// never retried. A few spaced attempts cover a restart or a full disk.
const retryMediaProcessing: JobsOptions = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

// An alert cannot wait for exponential backoff: retries come quickly, and the
// outbox sweep re-queues the dispatch after that for as long as it is due.
const retryDispatchQuickly: JobsOptions = {
  attempts: 5,
  backoff: { type: 'fixed', delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

// A relay that fails (Icecast away, the mount still held by a dying worker)
// is tried again soon; after that the sweep re-queues it while it is due.
const retryRelaySoon: JobsOptions = {
  attempts: 3,
  backoff: { type: 'fixed', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const JOBS: Record<JobName, JobDefinition> = {
  [JobName.PurgeExpiredEnrollmentCodes]: { queue: QueueName.Maintenance, options: retryTransientFailures },
  [JobName.ProcessMedia]: { queue: QueueName.Media, options: retryMediaProcessing },
  [JobName.ProcessAlertAudio]: { queue: QueueName.AlertAudio, options: retryMediaProcessing },
  [JobName.CompilePlaylists]: { queue: QueueName.Schedule, options: retryTransientFailures },
  [JobName.CheckReadiness]: { queue: QueueName.Schedule, options: retryTransientFailures },
  [JobName.Reconcile]: { queue: QueueName.Schedule, options: retryTransientFailures },
  [JobName.DispatchEmergency]: { queue: QueueName.Emergency, options: retryDispatchQuickly },
  [JobName.RecompileForEmergency]: { queue: QueueName.EmergencyPlaylists, options: retryDispatchQuickly },
  [JobName.RecordOnAirSessions]: { queue: QueueName.Civic, options: retryTransientFailures },
  [JobName.EscalateOrders]: { queue: QueueName.Civic, options: retryTransientFailures },
  [JobName.ExportLedgerAnchor]: { queue: QueueName.Civic, options: retryTransientFailures },
  [JobName.RunRelay]: { queue: QueueName.Relay, options: retryRelaySoon },
  // The outbox schedules its own retries (in Postgres, so they survive a restart): one attempt per job.
  [JobName.SendEbdPackage]: {
    queue: QueueName.Ebd,
    options: { attempts: 1, removeOnComplete: { age: 3600, count: 1_000 }, removeOnFail: { age: 24 * 3600 } },
  },
  // The same for webhooks: each retry is a row update in Postgres and a job of its own.
  [JobName.DeliverWebhook]: {
    queue: QueueName.Notifications,
    options: { attempts: 1, removeOnComplete: { age: 3600, count: 1_000 }, removeOnFail: { age: 24 * 3600 } },
  },
};

/** How many jobs of each queue one worker process runs at once. */
export function queueConcurrency(config: AppConfig): Record<QueueName, number> {
  return {
    [QueueName.Maintenance]: 1,
    [QueueName.Media]: config.media.concurrency,
    [QueueName.Schedule]: 2,
    [QueueName.Emergency]: 4,
    // A recompile is heavy (a county's rows read, composed, written): two at once, beside the pushes, not in their place.
    [QueueName.EmergencyPlaylists]: 2,
    // Alerts are few and their audio short: two at once, so one long render cannot hold back a second alert.
    [QueueName.AlertAudio]: 2,
    [QueueName.Civic]: 1,
    // Each relay holds its job for its whole airing, mostly waiting on two ffmpeg processes (a few % of a core each).
    [QueueName.Relay]: 16,
    // Each send mostly waits on the upper platform's answer.
    [QueueName.Ebd]: 4,
    // Each delivery mostly waits on a county's webhook.
    [QueueName.Notifications]: 4,
  };
}
