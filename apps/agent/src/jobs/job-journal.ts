import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AGENT_STEP_RESULT_V1, stepNameSchema, type StepResultPayload } from '@flotilla/protocol';
import { readJsonFile, writeJsonFile } from '../support/json-file';

const JOB_ENTRY_SCHEMA = z.strictObject({
  jobId: z.uuid(),
  instancePath: z.string(),
  attempt: z.number().int().min(1),
  step: stepNameSchema,
  status: z.enum(['running', 'finished']),
  acceptedAt: z.number().int(),
  result: AGENT_STEP_RESULT_V1.schema.optional(),
});

/** One job as the journal knows it: accepted and running, or finished with the result reported. */
export type JobEntry = z.infer<typeof JOB_ENTRY_SCHEMA>;

/**
 * The agent's job journal, one file per job under `<dataDir>/jobs/`: a job is written `running`
 * before its script starts and `finished` with its result before the result is published, so a
 * job runs at most once and a duplicate command gets the recorded result. A job still `running`
 * when the agent starts was interrupted by a crash.
 */
export class JobJournal {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'jobs');
  }

  /** The journal entry of `jobId`, if the agent has seen that job. */
  get(jobId: string): Promise<JobEntry | undefined> {
    return readJsonFile(this.pathOf(jobId), JOB_ENTRY_SCHEMA);
  }

  /** Records that the job was accepted and its step is about to run. */
  async begin(entry: Omit<JobEntry, 'status' | 'result'>): Promise<void> {
    await writeJsonFile(this.pathOf(entry.jobId), { ...entry, status: 'running' });
  }

  /** Records how the job ended (before the result is published). */
  async finish(entry: JobEntry, result: StepResultPayload): Promise<JobEntry> {
    const finished: JobEntry = { ...entry, status: 'finished', result };
    await writeJsonFile(this.pathOf(entry.jobId), finished);
    return finished;
  }

  /** Every job still marked running: the agent died while their steps ran. */
  async running(): Promise<JobEntry[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const entries = await Promise.all(
      names
        .filter((name) => name.endsWith('.json'))
        .map((name) => readJsonFile(join(this.dir, name), JOB_ENTRY_SCHEMA)),
    );
    return entries.filter((entry): entry is JobEntry => entry?.status === 'running');
  }

  private pathOf(jobId: string): string {
    // jobId is a validated uuid: it cannot escape the directory.
    return join(this.dir, `${z.uuid().parse(jobId)}.json`);
  }
}
