import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../support/json-file';

/** The stable states an instance can be in on this agent. */
export const STABLE_INSTANCE_STATES = [
  'not_deployed',
  'deployed_stopped',
  'deployed_started',
] as const;

/** A stable state of an instance on this agent. */
export type StableInstanceState = (typeof STABLE_INSTANCE_STATES)[number];

const INSTANCE_RECORD_SCHEMA = z.strictObject({
  path: z.string(),
  component: z.string(),
  state: z.enum(STABLE_INSTANCE_STATES),
  exports: z.record(z.string(), z.string()),
});

const INSTANCES_SCHEMA = z.record(z.string(), INSTANCE_RECORD_SCHEMA);

/** What the agent remembers of one instance bound to its host. */
export type InstanceRecord = z.infer<typeof INSTANCE_RECORD_SCHEMA>;

/** The instances of this host with their last stable state and exports, kept in `instances.json`. */
export class InstanceStore {
  private readonly path: string;
  private records: Record<string, InstanceRecord> | undefined;
  private writes: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'instances.json');
  }

  /** The record of the instance at `path`, if it ever ran a step here. */
  async get(path: string): Promise<InstanceRecord | undefined> {
    return (await this.load())[path];
  }

  /** Every instance record. */
  async list(): Promise<InstanceRecord[]> {
    return Object.values(await this.load());
  }

  /** Replaces one instance's record, persisted before it resolves. */
  async put(record: InstanceRecord): Promise<void> {
    const records = await this.load();
    records[record.path] = record;
    const snapshot = { ...records };
    this.writes = this.writes.catch(() => undefined).then(() => writeJsonFile(this.path, snapshot));
    await this.writes;
  }

  private async load(): Promise<Record<string, InstanceRecord>> {
    this.records ??= (await readJsonFile(this.path, INSTANCES_SCHEMA)) ?? {};
    return this.records;
  }
}
