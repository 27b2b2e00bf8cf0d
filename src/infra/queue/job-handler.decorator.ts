import { SetMetadata } from '@nestjs/common';
import type { JobName } from './jobs';

export const JOB_HANDLER = Symbol('job-handler');

/** Binds a provider method to one job name; the worker refuses to start when a job has no handler or two. */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);
