import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DmServer } from '@flotilla/dm';
import { TEST_AMQP_URL } from '../../../libs/messaging/testing';
import { E2E_ADMIN_PASSWORD } from '../../e2e/support/test-dm';
import { DmApi } from '../../faults/support/dm-api';
import { DmProcess } from '../../faults/support/dm-process';

/** One running replica: its process, and an operator's logged-in view of its API and events. */
export interface Replica {
  readonly dm: DmProcess;
  readonly api: DmApi;
}

/**
 * DM replicas as separate `flotilla dm` processes on the database, data and broker namespace of
 * an in-process DM that prepared them (and was closed): the first replica reuses its data
 * directory, every other one gets a copy (the same DM identity, which agents pin).
 */
export class ReplicaSet {
  private readonly replicas = new Map<string, Replica>();
  private readonly dataDirs = new Map<string, string>();
  private readonly copies: string[] = [];

  constructor(
    private readonly prepared: DmServer['config'],
    private readonly namespace: string,
  ) {}

  /** Starts (or starts again, on the same data directory) the replica of that name. */
  async start(name: string): Promise<Replica> {
    this.replicas.get(name)?.api.close();
    const dm = await DmProcess.start({
      FLOTILLA_LOG_LEVEL: 'warn',
      FLOTILLA_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      FLOTILLA_DATA_DIR: await this.dataDirOf(name),
      FLOTILLA_DATABASE_URL: this.prepared.databaseUrl ?? '',
      FLOTILLA_AMQP_URL: TEST_AMQP_URL,
      FLOTILLA_AMQP_NAMESPACE: this.namespace,
    });
    const api = new DmApi(dm.url, E2E_ADMIN_PASSWORD);
    const replica = { dm, api };
    this.replicas.set(name, replica);
    await api.login();
    return replica;
  }

  /** Stops every replica, its event stream, and removes the copied data directories. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.replicas.values()].map(async ({ dm, api }) => {
        api.close();
        await dm.stop();
      }),
    );
    for (const copy of this.copies) {
      await rm(copy, { recursive: true, force: true });
    }
  }

  /** Everything the replicas printed, for failure messages. */
  logs(): string {
    return [...this.replicas.entries()]
      .map(([name, { dm }]) => `--- DM ${name}\n${dm.log}`)
      .join('\n');
  }

  private async dataDirOf(name: string): Promise<string> {
    let dataDir = this.dataDirs.get(name);
    if (dataDir === undefined) {
      if (this.dataDirs.size === 0) {
        dataDir = this.prepared.dataDir;
      } else {
        const copy = await mkdtemp(join(tmpdir(), `flotilla-replica-${name}-`));
        this.copies.push(copy);
        dataDir = join(copy, 'dm');
        await cp(this.prepared.dataDir, dataDir, { recursive: true });
      }
      this.dataDirs.set(name, dataDir);
    }
    return dataDir;
  }
}

/** The role a replica's `/api/health` states. */
export async function roleOf(replica: Replica): Promise<string> {
  return ((await replica.api.call('GET', '/health')).body as { role: string }).role;
}

/** Waits until a replica states `role` in its health report (read again at each event). */
export async function waitForRole(
  replica: Replica,
  role: string,
  timeoutMs: number,
): Promise<void> {
  let last = 'no answer yet';
  await replica.api.waitUntil(
    async () => {
      last = await roleOf(replica);
      return last === role ? true : undefined;
    },
    () => `${replica.dm.url} says ${last}, not ${role}`,
    timeoutMs,
  );
}
