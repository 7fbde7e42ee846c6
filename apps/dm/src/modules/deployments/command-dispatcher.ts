import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  DM_RECIPE_BUNDLE_V1,
  DM_STEP_RUN_V1,
  type AgentlessTargetPayload,
} from '@flotilla/protocol';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../../dm.constants';
import { TransactionRunner } from '../../persistence/transaction-runner';
import type { AuditEntryInput } from '../audit/audit-entry';
import { AuditService } from '../audit/audit.service';
import { DmBroker } from '../messaging/dm-broker';
import { toEnvelopeThumbprint } from '../messaging/thumbprints';
import { AgentlessDispatch } from './agentless-dispatch';
import type { ApplicationState } from './application-state';
import { ApplicationStateRepository } from './application-state.repository';
import { CommandsRepository, type StepCommand } from './commands.repository';
import { DeploymentEvents } from './deployment-events';
import {
  DISPATCH_CONCURRENCY,
  DISPATCH_INTERVAL_MS,
  RESEND_AFTER_MS,
} from './deployments.constants';
import { DispatchPass, inLanes } from './dispatch-pass';
import { RecipeBundleStore } from './recipe-bundle.store';
import { SentCommandsRecorder, type SentCommand } from './sent-commands.recorder';
import { buildStepRun, type BundleRef } from './step-run.builder';

/** The `script` installer: components whose steps need a recipe bundle on the agent. */
const SCRIPT_INSTALLER = 'script';
/** A template without a version ships its bundles under this one. */
const UNVERSIONED = 'unversioned';

/**
 * Sends queued commands to trusted agents through the broker, each preceded by its recipe bundle
 * the first time that agent needs it, and sends again the commands that went unanswered (at start,
 * after `RESEND_AFTER_MS`, when an agent reports its inventory). Sending runs one pass at a time,
 * and only on the leading DM replica (a leader duty: see LeadershipService).
 */
@Injectable()
export class CommandDispatcher implements OnModuleDestroy {
  private readonly logger = new Logger(CommandDispatcher.name);
  private readonly bundlesSent = new Set<string>();
  private isLeading = false;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private isRerunWanted = false;
  /** The running pass's shared reads (one pass runs at a time). */
  private current?: DispatchPass;

  constructor(
    private readonly broker: DmBroker,
    private readonly transactions: TransactionRunner,
    private readonly states: ApplicationStateRepository,
    private readonly commands: CommandsRepository,
    private readonly bundles: RecipeBundleStore,
    private readonly events: DeploymentEvents,
    private readonly audit: AuditService,
    private readonly agentless: AgentlessDispatch,
    private readonly dataSource: DataSource,
  ) {}

  /** Starts dispatching (this replica was elected). */
  startLeading(): void {
    this.isLeading = true;
    // A new leader (or a restarted DM) sends again every command without a result: the agent
    // dedupes by job id.
    void this.broker.whenReady().then(
      () => this.pass(new Date()),
      () => undefined,
    );
    clearInterval(this.timer);
    this.timer = setInterval(() => this.trigger(), DISPATCH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops dispatching (this replica stepped down); a pass already running finishes. */
  stopLeading(): void {
    this.isLeading = false;
    clearInterval(this.timer);
  }

  onModuleDestroy(): void {
    this.stopLeading();
  }

  /** Starts a sending pass (or asks for one more after the running one); only when leading. */
  trigger(): void {
    if (!this.isLeading) {
      return;
    }
    if (this.running !== undefined) {
      this.isRerunWanted = true;
      return;
    }
    void this.pass(new Date(Date.now() - RESEND_AFTER_MS));
  }

  /** Forgets which bundles an agent holds (it said one is missing: it may have lost its cache). */
  forgetBundles(agentName: string): void {
    for (const key of [...this.bundlesSent].filter((entry) => entry.startsWith(`${agentName} `))) {
      this.bundlesSent.delete(key);
    }
  }

  /** One pass (after the running one): sends every due command; failures wait for the next pass. */
  async pass(
    staleBefore: Date,
    agent?: { readonly name: string; readonly sentBefore: Date },
  ): Promise<void> {
    if (!this.isLeading) {
      return;
    }
    while (this.running !== undefined) {
      await this.running;
    }
    const run = this.sendDue(staleBefore, agent)
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'Dispatch pass failed; the next pass retries');
      })
      .finally(() => {
        this.running = undefined;
        if (this.isRerunWanted) {
          this.isRerunWanted = false;
          this.trigger();
        }
      });
    this.running = run;
    return run;
  }

  private async sendDue(
    staleBefore: Date,
    agent?: { readonly name: string; readonly sentBefore: Date },
  ): Promise<void> {
    // Two reads at once, outside a transaction (each statement sees committed rows): one round
    // trip instead of two BEGIN / SELECT / COMMIT sequences before the first command goes out.
    const [due, trusted] = await Promise.all([
      this.commands.dueForSending(staleBefore, this.dataSource.manager, agent),
      this.trustedAgents(),
    ]);
    this.current = new DispatchPass(
      (id) => this.transactions.run((manager) => this.states.load(id, manager)),
      (name) => Promise.resolve(trusted.get(name) ?? this.loadThumbprint(name)),
    );
    const recorder = new SentCommandsRecorder(
      {
        write: (sent, audit) => this.recordSent(sent, audit),
        publish: (event) => this.events.publish(event),
      },
      SYSTEM_ACTOR,
    );
    try {
      await inLanes(
        due,
        (command) => command.agentName ?? '',
        DISPATCH_CONCURRENCY,
        async (command) => {
          try {
            await this.dispatch(command, trusted, recorder);
          } catch (error: unknown) {
            this.logger.warn({ err: error, jobId: command.jobId }, 'Command not sent; will retry');
          }
        },
      );
    } finally {
      this.current = undefined;
      await recorder.flush();
    }
  }

  private async recordSent(
    sent: readonly SentCommand[],
    audit: readonly AuditEntryInput[],
  ): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.commands.markAllSent(
        sent.map(({ command, agentName }) => ({ id: command.id, agentName })),
        manager,
      );
      await this.audit.recordAll(audit, manager);
    });
  }

  /** The agents commands may go to, with their envelope thumbprints. */
  private async trustedAgents(): Promise<Map<string, string>> {
    const rows: Array<{ name: string; thumbprint: string }> = await this.dataSource.query(
      `SELECT name, thumbprint FROM agents WHERE state = 'trusted' AND broker_user IS NOT NULL`,
    );
    return new Map(rows.map((row) => [row.name, toEnvelopeThumbprint(row.thumbprint)]));
  }

  /** Sends a command to its root's agent, or to a proxy when the root is agentless. */
  private async dispatch(
    command: StepCommand,
    trusted: ReadonlyMap<string, string>,
    recorder: SentCommandsRecorder,
  ): Promise<void> {
    const route = await this.agentless.route(command);
    if (route.kind === 'agent' && trusted.has(command.agentName ?? '')) {
      await this.send(command, recorder);
    } else if (route.kind === 'proxy') {
      await this.send({ ...command, agentName: route.proxy }, recorder, route.target);
    } else if (
      route.kind === 'hand-over' &&
      (await this.agentless.handOverLost(command, route.from))
    ) {
      this.isRerunWanted = true;
    }
  }

  private async send(
    command: StepCommand,
    recorder: SentCommandsRecorder,
    agentless?: AgentlessTargetPayload,
  ): Promise<void> {
    const agentName = command.agentName ?? '';
    const state = await this.stateOf(command.applicationId);
    const bundle = await this.bundleFor(state, command, agentName);
    const payload = { ...buildStepRun(state, command, bundle), ...(agentless && { agentless }) };
    await this.broker.publisher.send(this.destination(agentName), {
      type: DM_STEP_RUN_V1.type,
      recipient: await this.agentThumbprint(agentName),
      payload,
      jobId: command.jobId,
    });
    await recorder.add({ command, agentName, applicationName: state.name });
  }

  private async bundleFor(
    state: ApplicationState,
    command: StepCommand,
    agentName: string,
  ): Promise<BundleRef | undefined> {
    const component = state.instances.find(
      (entry) => entry.path === command.instancePath,
    )?.component;
    const installer =
      component === undefined ? undefined : state.snapshot.graph.components[component]?.installer;
    if (component === undefined || installer !== SCRIPT_INSTALLER) {
      return undefined;
    }
    const packed = await this.bundles.bundleOf(state.templateId, component);
    const ref: BundleRef = {
      templateName: state.template.name,
      templateVersion: state.template.version ?? UNVERSIONED,
      component,
      digest: packed.digest,
    };
    const key = `${agentName} ${packed.digest}`;
    if (!this.bundlesSent.has(key)) {
      await this.broker.publisher.send(this.destination(agentName), {
        type: DM_RECIPE_BUNDLE_V1.type,
        recipient: await this.agentThumbprint(agentName),
        payload: { bundle: ref, content: packed.bytes.toString('base64') },
      });
      this.bundlesSent.add(key);
    }
    return ref;
  }

  private destination(agentName: string): { exchange: string; routingKey: string } {
    const { topology } = this.broker;
    return {
      exchange: topology.agentsExchange,
      routingKey: topology.dmToAgentRoutingKey(agentName, 'step'),
    };
  }

  private stateOf(applicationId: string): Promise<ApplicationState> {
    return (
      this.current?.stateOf(applicationId) ??
      this.transactions.run((manager) => this.states.load(applicationId, manager))
    );
  }

  private agentThumbprint(agentName: string): Promise<string> {
    return this.current?.thumbprintOf(agentName) ?? this.loadThumbprint(agentName);
  }

  private async loadThumbprint(agentName: string): Promise<string> {
    const rows: Array<{ thumbprint: string }> = await this.dataSource.query(
      `SELECT thumbprint FROM agents WHERE name = $1`,
      [agentName],
    );
    return toEnvelopeThumbprint(rows[0]?.thumbprint ?? '');
  }
}
