import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AGENT_ENROLLMENT_REQUEST_V1,
  AmqpPublisher,
  DM_ENROLLMENT_RESPONSE_V1,
  EnvelopeOpener,
  EnvelopeSealer,
  FileTrustStore,
  MemoryReplayCache,
  SecureConsumer,
  SecurePublisher,
  escapeRegex,
  generateIdentity,
  initTopology,
  provisionAgentBrokerUser,
  type AmqpConnection,
  type AmqpDelivery,
  type Identity,
  type OpenedEnvelope,
  type SealedEnvelope,
} from '@flotilla/messaging';
import { LIFECYCLE_MESSAGE_TYPES, createFlotillaRegistry } from '@flotilla/protocol';
import { BrokerNamespace } from '../../../../libs/messaging/testing';
import { EnrollmentTrustView } from './enrollment-trust-view';
import { MessageLog } from './message-log';

/** The AMQP header the agent reads the DM's certificate from (pinned by thumbprint). */
const DM_CERTIFICATE_HEADER = 'x-flotilla-dm-certificate';

/** How the test DM answers an enrollment request: `impostor` answers signed by another key. */
export type EnrollmentDecision = 'pending' | 'accepted' | 'impostor';

/** An enrolled agent as the test DM knows it. */
export interface KnownAgent {
  readonly name: string;
  readonly thumbprint: string;
  readonly brokerUser: string;
}

/**
 * The DM's part in the agent tests, built on libs/messaging: its own identity, a uuid broker
 * namespace, an enrollment user, the enrollment queue (answers through direct reply-to), the
 * agents' broker users and queues, signed commands, and a log of everything agents sent.
 */
export class DmHarness {
  /** Every enrollment request received (payload: agentName, facts...). */
  readonly enrollments = new MessageLog();
  /** Every message agents sent to the DM inbox. */
  readonly inbox = new MessageLog();
  readonly agents = new Map<string, KnownAgent>();
  /** The thumbprint each agent name enrolled with, accepted or not. */
  readonly thumbprints = new Map<string, string>();
  /** What the DM answers to the next enrollment requests of each agent name (default pending). */
  readonly decisions = new Map<string, EnrollmentDecision>();
  readonly enrollmentPassword = 'enroll-secret';
  readonly enrollmentUser: string;
  private readonly registry = createFlotillaRegistry();
  private readonly publisher: AmqpPublisher;
  private readonly securePublisher: SecurePublisher;
  private readonly consumers: SecureConsumer[] = [];

  private constructor(
    readonly broker: BrokerNamespace,
    readonly identity: Identity,
    private readonly impostor: Identity,
    private readonly connection: AmqpConnection,
    private readonly trustStore: FileTrustStore,
    private readonly directory: string,
  ) {
    this.enrollmentUser = broker.userName('enroll');
    this.publisher = new AmqpPublisher(connection);
    this.securePublisher = new SecurePublisher(this.sealerOf(identity), this.publisher);
  }

  /** Creates the DM identity, declares the DM topology, the enrollment user and the consumers. */
  static async start(): Promise<DmHarness> {
    const directory = await mkdtemp(join(tmpdir(), 'flotilla-dm-harness-'));
    const broker = new BrokerNamespace();
    const connection = broker.connection();
    await connection.start();
    const [dm, impostor] = await Promise.all([
      generateIdentity({ name: 'dm' }),
      generateIdentity({ name: 'dm' }),
    ]);
    const trustStore = new FileTrustStore(join(directory, 'trust.json'));
    const harness = new DmHarness(broker, dm, impostor, connection, trustStore, directory);
    await harness.declare();
    return harness;
  }

  /** The AMQP URL an agent in a test host enrolls with (through the host's gateway address). */
  enrollmentUrl(gatewayAddress: string): string {
    return `amqp://${this.enrollmentUser}:${this.enrollmentPassword}@${gatewayAddress}:5672/flotilla`;
  }

  /** The durable command queue of an agent. */
  agentQueue(agentName: string): string {
    return this.broker.topology.agentQueue(agentName);
  }

  /** Seals (as this DM, or as `signer`) and publishes a command to an agent's queue. */
  async send(
    agentName: string,
    type: string,
    payload: unknown,
    options: { signer?: Identity; jobId?: string } = {},
  ): Promise<SealedEnvelope> {
    const thumbprint = this.thumbprints.get(agentName);
    if (thumbprint === undefined) {
      throw new Error(`agent ${agentName} never asked the test DM to enroll`);
    }
    const destination = {
      exchange: this.broker.topology.agentsExchange,
      routingKey: this.broker.topology.dmToAgentRoutingKey(agentName, type),
    };
    const input = { type, recipient: thumbprint, payload, jobId: options.jobId };
    const publisher =
      options.signer === undefined
        ? this.securePublisher
        : new SecurePublisher(this.sealerOf(options.signer), this.publisher);
    return publisher.send(destination, input);
  }

  /** Publishes an already sealed envelope again, byte for byte (a replay). */
  async replay(agentName: string, sealed: SealedEnvelope): Promise<void> {
    await this.publisher.publish({
      exchange: this.broker.topology.agentsExchange,
      routingKey: this.broker.topology.dmToAgentRoutingKey(agentName, sealed.type),
      body: sealed.body,
      messageId: sealed.messageId,
      type: sealed.type,
    });
  }

  /** Stops the consumers, removes the namespace's queues, exchanges and users, and temp files. */
  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    await this.broker.nuke();
    await rm(this.directory, { recursive: true, force: true });
  }

  /** Declares an agent's command queue before the agent is accepted (as an early DM might). */
  async declareAgentQueue(agentName: string): Promise<void> {
    const model = await this.connection.waitForConnection(10_000);
    const channel = await model.createChannel();
    await initTopology(channel, this.broker.topology.agentTopology(agentName));
    await channel.close();
  }

  private sealerOf(identity: Identity): EnvelopeSealer {
    return new EnvelopeSealer(identity, { policy: this.registry });
  }

  private async declare(): Promise<void> {
    const { topology, management } = this.broker;
    const model = await this.connection.waitForConnection(10_000);
    const channel = await model.createChannel();
    await initTopology(channel, topology.dmTopology());
    await channel.close();
    await management.putUser(this.enrollmentUser, this.enrollmentPassword);
    await management.setPermissions(this.enrollmentUser, {
      configure: '^$',
      write: `^${escapeRegex(topology.enrollExchange)}$`,
      read: '^$',
    });
    const opener = new EnvelopeOpener(
      this.identity,
      this.trustStore,
      new MemoryReplayCache(),
      this.registry,
    );
    const enrollmentOpener = new EnvelopeOpener(
      this.identity,
      new EnrollmentTrustView(this.trustStore),
      new MemoryReplayCache(),
      this.registry,
    );
    const enroll = this.consumer(topology.dmEnrollQueue, enrollmentOpener);
    enroll.handle(AGENT_ENROLLMENT_REQUEST_V1.type, (envelope, delivery) =>
      this.answerEnrollment(envelope, delivery),
    );
    const inbox = this.consumer(topology.dmInboxQueue, opener);
    const agentTypes = ['agent.heartbeat.v1', 'agent.shutdown.v1'];
    for (const type of [...agentTypes, ...LIFECYCLE_MESSAGE_TYPES.map((item) => item.type)]) {
      if (type.startsWith('agent.')) {
        inbox.handle(type, (envelope) => this.inbox.add(envelope));
      }
    }
    await enroll.start();
    await inbox.start();
  }

  private consumer(queue: string, opener: EnvelopeOpener): SecureConsumer {
    const consumer = new SecureConsumer({
      connection: this.connection,
      publisher: this.publisher,
      route: this.broker.topology.routeOf(queue),
      opener,
    });
    this.consumers.push(consumer);
    return consumer;
  }

  private async answerEnrollment(envelope: OpenedEnvelope, delivery: AmqpDelivery): Promise<void> {
    const request = envelope.payload as { agentName: string; encryptionPublicKey: string };
    this.thumbprints.set(request.agentName, envelope.sender.thumbprint);
    this.enrollments.add(envelope);
    const replyTo = delivery.properties.replyTo as string | undefined;
    const decision = this.decisions.get(request.agentName) ?? 'pending';
    if (replyTo === undefined) {
      return;
    }
    const signer = decision === 'impostor' ? this.impostor : this.identity;
    const payload = await this.answerFor(decision, envelope, request);
    const sealed = this.sealerOf(signer).seal({
      type: DM_ENROLLMENT_RESPONSE_V1.type,
      recipient: envelope.sender.thumbprint,
      payload,
      correlationId: envelope.messageId,
      encryptFor: request.encryptionPublicKey,
    });
    await this.publisher.publish({
      exchange: '',
      routingKey: replyTo,
      body: sealed.body,
      messageId: sealed.messageId,
      type: sealed.type,
      headers: { [DM_CERTIFICATE_HEADER]: signer.certificateDer.toString('base64') },
    });
  }

  private async answerFor(
    decision: EnrollmentDecision,
    envelope: OpenedEnvelope,
    request: { agentName: string; encryptionPublicKey: string },
  ): Promise<Record<string, unknown>> {
    switch (decision) {
      case 'accepted':
        return this.accept(envelope, request.agentName, request.encryptionPublicKey);
      case 'impostor':
        // A forged acceptance: an agent that obeyed it would store these credentials.
        return {
          status: 'accepted',
          brokerUser: 'impostor',
          brokerPassword: 'impostor',
          dmThumbprints: { current: this.impostor.thumbprint },
        };
      case 'pending':
        return {
          status: 'pending',
          retryAfterMs: 300,
          dmThumbprints: { current: this.identity.thumbprint },
        };
    }
  }

  private async accept(
    envelope: OpenedEnvelope,
    agentName: string,
    encryptionPublicKey: string,
  ): Promise<Record<string, unknown>> {
    const { topology, management } = this.broker;
    const password = `agent-${agentName}-secret`;
    const user = await provisionAgentBrokerUser(management, topology, {
      agentName,
      password,
      username: this.broker.userName(`agent-${agentName}`),
    });
    await this.declareAgentQueue(agentName);
    await this.trustStore.upsert({
      thumbprint: envelope.sender.thumbprint,
      role: `agent:${agentName}`,
      state: 'trusted',
      certificatePem: envelope.sender.certificatePem ?? '',
      brokerUser: user.username,
      encryptionPublicKey,
    });
    this.agents.set(agentName, {
      name: agentName,
      thumbprint: envelope.sender.thumbprint,
      brokerUser: user.username,
    });
    return {
      status: 'accepted',
      brokerUser: user.username,
      brokerPassword: password,
      dmThumbprints: { current: this.identity.thumbprint },
    };
  }
}
