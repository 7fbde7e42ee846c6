import { join } from 'node:path';
import {
  AGENT_SHUTDOWN_V1,
  AmqpConnection,
  AmqpPublisher,
  FlotillaTopology,
  SecureConsumer,
  SecurePublisher,
} from '@flotilla/messaging';
import {
  AGENT_CAPABILITIES_V1,
  AGENT_INVENTORY_V1,
  DM_RECIPE_BUNDLE_V1,
  DM_STEP_RUN_V1,
} from '@flotilla/protocol';
import { RecipeBundleCache, type Firewall } from '@flotilla/recipes';
import { AGENT_PREFETCH } from './agent.constants';
import { loadAgentSecurity, type AgentSecurity } from './agent-security';
import type { AgentConfig } from './config/agent-config';
import { areCredentialsRefused } from './enrollment/broker-credentials-check';
import { brokerUrlFor } from './enrollment/broker-url';
import { EnrollmentClient } from './enrollment/enrollment-client';
import { EnrollmentStateFile, type EnrollmentState } from './enrollment/enrollment-state';
import { recipeBundleHandler } from './handlers/recipe-bundle.handler';
import { stepRunHandler } from './handlers/step-run.handler';
import { listCachedBundles } from './instances/cached-bundles';
import { InstanceStore } from './instances/instance-store';
import { JobJournal } from './jobs/job-journal';
import { DmOutbox } from './lifecycle-events/dm-outbox';
import { Heartbeat } from './lifecycle-events/heartbeat';
import { buildInventory, recoverInterruptedJobs } from './lifecycle-events/startup-recovery';
import { createProxy, type Proxy } from './proxy/create-proxy';
import { createAgentFirewall, createStepJobRunner } from './runner/create-step-job-runner';
import type { StepExecutor } from './runner/step-job-runner';
import type { AgentLogger } from './support/agent-logger';

/** What a host embedding agents in its own process may replace (the default: the real parts). */
export interface AgentEmbedding {
  /** Runs steps instead of libs/recipes' script executor (a benchmark's no-op recipes). */
  readonly executor?: StepExecutor;
}

/** What a running (accepted) agent holds open, closed by `stop`. */
interface Running {
  readonly connection: AmqpConnection;
  readonly consumer: SecureConsumer;
  readonly outbox: DmOutbox;
  readonly heartbeat: Heartbeat;
  readonly proxy: Proxy | undefined;
}

/**
 * One agent process: enrolls once (and obeys nothing before the DM accepted it), then reconciles
 * its firewall, closes jobs a crash interrupted, reports its inventory, consumes its signed
 * commands and beats; `stop` sends a signed shutdown notice.
 */
export class Agent {
  private readonly topology: FlotillaTopology;
  private readonly abort = new AbortController();
  private running: Running | undefined;
  private starting: Promise<void> | undefined;
  private enrollmentConnection: AmqpConnection | undefined;

  constructor(
    private readonly config: AgentConfig,
    private readonly logger: AgentLogger,
    private readonly embedding: AgentEmbedding = {},
  ) {
    this.topology = new FlotillaTopology({ namespace: config.brokerNamespace });
  }

  /** Whether `stop` was called (a start that fails afterwards failed because of it). */
  get isStopping(): boolean {
    return this.abort.signal.aborted;
  }

  /** Starts the agent; resolves once it consumes its commands. */
  async start(): Promise<void> {
    this.starting = this.startNow();
    await this.starting;
  }

  private async startNow(): Promise<void> {
    const security = await loadAgentSecurity(this.config.dataDir, this.config.name);
    this.logger.info('agent identity loaded', { thumbprint: security.identity.thumbprint });
    const enrollment = await this.enrollment(security);
    const connection = new AmqpConnection({
      url: this.brokerUrl(enrollment),
      name: `flotilla-agent-${this.config.name}`,
      logger: this.logger,
    });
    await connection.start();
    if (this.isStopping) {
      await connection.close();
      return;
    }
    const publisher = new AmqpPublisher(connection, { logger: this.logger });
    const outbox = new DmOutbox(
      new SecurePublisher(security.sealer, publisher),
      this.topology,
      this.config.name,
      this.config.dmThumbprint,
    );
    const firewall = createAgentFirewall(this.config, this.logger);
    const report = await firewall.reconcile();
    this.logger.info('firewall reconciled with the ledger', { ...report });
    const consumer = new SecureConsumer({
      connection,
      publisher,
      route: this.topology.routeOf(this.topology.agentQueue(this.config.name)),
      opener: security.opener,
      prefetch: AGENT_PREFETCH,
      logger: this.logger,
    });
    const proxy = await this.serve(consumer, outbox, firewall, security);
    const heartbeat = new Heartbeat(outbox, this.config.heartbeatIntervalMs, this.logger);
    heartbeat.start();
    this.running = { connection, consumer, outbox, heartbeat, proxy };
  }

  /** Stops consuming, sends the shutdown notice and closes the connection (idempotent). */
  async stop(reason: string): Promise<void> {
    this.abort.abort(new Error(`agent stopping: ${reason}`));
    await this.enrollmentConnection?.close();
    await this.starting?.catch(() => undefined);
    const running = this.running;
    this.running = undefined;
    if (running === undefined) {
      return;
    }
    this.logger.info('agent stopping', { reason });
    running.heartbeat.stop();
    await running.consumer.stop();
    this.logger.debug('consumer stopped', { reason });
    await running.proxy?.close();
    await running.outbox
      .send('shutdown', AGENT_SHUTDOWN_V1.type, { reason })
      .catch((error: unknown) =>
        this.logger.warn('shutdown notice not sent', { error: String(error) }),
      );
    await running.connection.close();
    this.logger.info('agent stopped', { reason });
  }

  private async serve(
    consumer: SecureConsumer,
    outbox: DmOutbox,
    firewall: Firewall,
    security: AgentSecurity,
  ): Promise<Proxy | undefined> {
    const { dataDir } = this.config;
    const bundlesDir = join(dataDir, 'bundles');
    const bundles = new RecipeBundleCache(bundlesDir);
    const instances = new InstanceStore(dataDir);
    const journal = new JobJournal(dataDir);
    const runner = await createStepJobRunner(
      this.config,
      { bundles, instances, firewall },
      this.logger,
      this.abort.signal,
      this.embedding.executor,
    );
    const interrupted = await recoverInterruptedJobs(journal, instances, runner, this.logger);
    const cached = await listCachedBundles(bundlesDir, bundles);
    const inventory = await buildInventory(instances, runner, interrupted, cached);
    await outbox.send('inventory', AGENT_INVENTORY_V1.type, inventory);
    this.logger.info('inventory sent', {
      instances: inventory.instances.length,
      interruptedJobs: interrupted,
    });
    const proxy = await this.startProxy(outbox, security, bundles);
    consumer
      .handle(DM_RECIPE_BUNDLE_V1.type, recipeBundleHandler(bundles, this.logger))
      .handle(
        DM_STEP_RUN_V1.type,
        stepRunHandler({ journal, runner, outbox, logger: this.logger, proxy }),
      );
    await consumer.start();
    return proxy;
  }

  /** The proxy role if configured; the DM learns either way what this agent offers. */
  private async startProxy(
    outbox: DmOutbox,
    security: AgentSecurity,
    bundles: RecipeBundleCache,
  ): Promise<Proxy | undefined> {
    const proxy = await createProxy(
      this.config,
      { identity: security.identity, bundles, signal: this.abort.signal },
      this.logger,
    );
    await outbox.send('capabilities', AGENT_CAPABILITIES_V1.type, proxy?.capabilities ?? {});
    return proxy;
  }

  private brokerUrl(enrollment: EnrollmentState): string {
    return brokerUrlFor(this.config.amqpUrl, enrollment.brokerUser, enrollment.brokerPassword);
  }

  /**
   * The stored enrollment, or a new one. Stored credentials the broker refuses (the DM provisioned
   * the agent's user again, with a new password) are forgotten and the agent enrolls again.
   */
  private async enrollment(security: AgentSecurity): Promise<EnrollmentState> {
    const file = new EnrollmentStateFile(this.config.dataDir);
    const stored = await file.read();
    if (stored !== undefined && (await areCredentialsRefused(this.brokerUrl(stored)))) {
      this.logger.warn('the broker refuses the stored agent credentials: enrolling again', {
        brokerUser: stored.brokerUser,
      });
    } else if (stored !== undefined) {
      this.logger.info('already enrolled', { brokerUser: stored.brokerUser });
      return stored;
    }
    const connection = new AmqpConnection({
      url: this.config.amqpUrl,
      name: `flotilla-agent-${this.config.name}-enrollment`,
      logger: this.logger,
    });
    this.enrollmentConnection = connection;
    try {
      await connection.start();
      const client = new EnrollmentClient({
        ...security,
        connection,
        topology: this.topology,
        dmThumbprint: this.config.dmThumbprint,
        ...(this.config.enrollmentToken === undefined
          ? {}
          : { enrollmentToken: this.config.enrollmentToken }),
        logger: this.logger,
        signal: this.abort.signal,
      });
      const accepted = await client.enroll();
      await file.write(accepted);
      this.logger.info('enrollment accepted', { brokerUser: accepted.brokerUser });
      return accepted;
    } finally {
      await connection.close();
    }
  }
}
