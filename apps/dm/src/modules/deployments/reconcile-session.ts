import { randomUUID } from 'node:crypto';
import type { LifecycleStep } from '@flotilla/model';
import type { EntityManager } from 'typeorm';
import type { AuditEntryInput } from '../audit/audit-entry';
import type { AuditService } from '../audit/audit.service';
import type { ApplicationState } from './application-state';
import type { ApplicationStateRepository } from './application-state.repository';
import type {
  CommandsRepository,
  FinishedJob,
  QueuedStep,
  StepCommand,
} from './commands.repository';
import type { CommandStatus } from './entities/command.entity';

/** What a `ReconcileSession` reads and writes through. */
export interface ReconcileStores {
  readonly states: ApplicationStateRepository;
  readonly commands: CommandsRepository;
  readonly audit: AuditService;
}

/**
 * What one reconciler transaction works on: each application is loaded (and locked) once however
 * many inputs the transaction applies to it and kept in memory as it changes; the jobs it queues,
 * the jobs it finishes and its audit entries are buffered. `saveAll`, once at the end, writes them
 * in a few statements: the changed instance rows, then the jobs, then the audit entries.
 */
export class ReconcileSession {
  private readonly states = new Map<string, ApplicationState>();
  private readonly changed = new Set<string>();
  private readonly commands = new Map<string, StepCommand>();
  private readonly queued: QueuedStep[] = [];
  private readonly finished: FinishedJob[] = [];
  private readonly audited: AuditEntryInput[] = [];

  constructor(
    private readonly stores: ReconcileStores,
    /** The transaction every load and save runs in. */
    readonly manager: EntityManager,
  ) {}

  /** The application as this transaction has it (loaded and locked on first use). */
  async load(id: string): Promise<ApplicationState> {
    return this.states.get(id) ?? this.keep(await this.stores.states.load(id, this.manager));
  }

  /** @throws DmError NOT_FOUND when no application has that name. */
  async loadByName(name: string): Promise<ApplicationState> {
    const known = [...this.states.values()].find((state) => state.name === name);
    return known ?? this.keep(await this.stores.states.loadByName(name, this.manager));
  }

  /** Replaces the application's state, to be saved by `saveAll`. */
  update(state: ApplicationState): void {
    this.states.set(state.id, state);
    this.changed.add(state.id);
  }

  /** Locks the commands of these jobs in one query, for `commandOf`. */
  async lockCommands(jobIds: readonly string[]): Promise<void> {
    const locked = await this.stores.commands.lockByJobIds(jobIds, this.manager);
    locked.forEach((command, jobId) => this.commands.set(jobId, command));
  }

  /** The job's command, locked (as this transaction left it). */
  async commandOf(jobId: string): Promise<StepCommand | undefined> {
    return (
      this.commands.get(jobId) ?? (await this.stores.commands.lockByJobId(jobId, this.manager))
    );
  }

  /** Queues a job for a step (written by `saveAll`); returns its job id. */
  queue(instanceId: string, agentName: string | null, step: LifecycleStep): string {
    const jobId = randomUUID();
    this.queued.push({ jobId, instanceId, agentName, step });
    return jobId;
  }

  /** Records how a job ended (written by `saveAll`); a second result of it finds it settled. */
  finish(command: StepCommand, status: CommandStatus, result: Record<string, unknown>): void {
    this.finished.push({ id: command.id, status, result });
    this.commands.set(command.jobId, { ...command, status });
  }

  /** Adds an audit entry (written by `saveAll`). */
  audit(entry: AuditEntryInput): void {
    this.audited.push(entry);
  }

  /** Writes everything this transaction changed; call it once, at the end. */
  async saveAll(): Promise<void> {
    for (const id of this.changed) {
      const state = this.states.get(id);
      if (state !== undefined) {
        await this.stores.states.save(state, this.manager);
      }
    }
    await this.stores.commands.queueAll(this.queued, this.manager);
    await this.stores.commands.finishAll(this.finished, this.manager);
    await this.stores.audit.recordAll(this.audited, this.manager);
  }

  private keep(state: ApplicationState): ApplicationState {
    this.states.set(state.id, state);
    return state;
  }
}
