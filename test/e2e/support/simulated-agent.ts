import {
  AGENT_HEARTBEAT_V1,
  AmqpConnection,
  AmqpPublisher,
  EnvelopeOpener,
  EnvelopeSealer,
  generateIdentity,
  MemoryReplayCache,
  SecureConsumer,
  SecurePublisher,
  type FlotillaTopology,
  type Identity,
  type TrustStore,
} from '@flotilla/messaging';
import { createFlotillaRegistry } from '@flotilla/protocol';
import { EnrollmentClient, type EnrollmentAnswer } from './enrollment-client';
import { SimulatedStepRunner } from './simulated-step-runner';
import { StaticTrustStore } from './static-trust-store';

/** Where a simulated agent finds the DM: the broker URLs and the DM's pinned certificate. */
export interface SimulatedAgentOptions {
  readonly name: string;
  readonly topology: FlotillaTopology;
  /** The AMQP URL the agent enrolls with (the shared enrollment user). */
  readonly enrollUrl: string;
  /** Builds the AMQP URL for the broker user the DM gives the agent. */
  readonly amqpUrlFor: (username: string, password: string) => string;
  readonly dm: { readonly thumbprint: string; readonly certificatePem: string };
}

/**
 * A small agent built on @flotilla/messaging for DM tests: it enrolls over the broker, connects
 * with the credentials the DM sent, sends heartbeats, and runs steps with `SimulatedStepRunner`
 * (no scripts: it reports success with the exports a real recipe would produce).
 */
export class SimulatedAgent {
  readonly registry = createFlotillaRegistry();
  readonly trustStore: TrustStore;
  readonly steps: SimulatedStepRunner;
  private enrollment?: EnrollmentClient;
  private connection?: AmqpConnection;
  private consumer?: SecureConsumer;
  private publisher?: SecurePublisher;
  private heartbeats = 0;

  private constructor(
    readonly options: SimulatedAgentOptions,
    readonly identity: Identity,
  ) {
    this.trustStore = new StaticTrustStore([
      {
        thumbprint: options.dm.thumbprint,
        role: 'dm',
        state: 'trusted',
        certificatePem: options.dm.certificatePem,
      },
    ]);
    this.steps = new SimulatedStepRunner(options.name, (type, payload, jobId) =>
      this.send(type, payload, jobId),
    );
  }

  /** Creates an agent with a fresh identity (nothing connected yet). */
  static async create(options: SimulatedAgentOptions): Promise<SimulatedAgent> {
    return new SimulatedAgent(options, await generateIdentity({ name: options.name }));
  }

  /** Sends an enrollment request and returns the DM's (verified, decrypted) answer. */
  async enroll(token?: string): Promise<EnrollmentAnswer> {
    this.enrollment ??= await EnrollmentClient.open({
      identity: this.identity,
      dmThumbprint: this.options.dm.thumbprint,
      enrollUrl: this.options.enrollUrl,
      topology: this.options.topology,
      policy: this.registry,
      trustStore: this.trustStore,
      replayCache: new MemoryReplayCache(),
    });
    this.enrollment.ask(token);
    return this.enrollment.nextAnswer();
  }

  /** The next unsolicited answer (for example the one sent when an operator accepts). */
  async nextEnrollmentAnswer(): Promise<EnrollmentAnswer> {
    if (this.enrollment === undefined) {
      throw new Error(`${this.options.name} never asked to enroll`);
    }
    return this.enrollment.nextAnswer();
  }

  /** Connects with the broker user of an accepted answer and consumes the agent's queue. */
  async connect(answer: EnrollmentAnswer): Promise<void> {
    if (answer.brokerUser === undefined || answer.brokerPassword === undefined) {
      throw new Error(`answer ${answer.status} carries no broker credentials`);
    }
    const { topology, amqpUrlFor, name } = this.options;
    this.connection = new AmqpConnection({
      url: amqpUrlFor(answer.brokerUser, answer.brokerPassword),
      name,
    });
    const amqpPublisher = new AmqpPublisher(this.connection);
    this.publisher = new SecurePublisher(
      new EnvelopeSealer(this.identity, { policy: this.registry }),
      amqpPublisher,
    );
    this.consumer = new SecureConsumer({
      connection: this.connection,
      publisher: amqpPublisher,
      route: topology.routeOf(topology.agentQueue(name)),
      opener: new EnvelopeOpener(
        this.identity,
        this.trustStore,
        new MemoryReplayCache(),
        this.registry,
      ),
    });
    this.steps.register(this.consumer);
    await this.connection.start();
    await this.consumer.start();
  }

  /** Publishes one heartbeat to the DM. */
  async heartbeat(): Promise<void> {
    this.heartbeats += 1;
    await this.send(AGENT_HEARTBEAT_V1.type, {
      sequence: this.heartbeats,
      uptimeMs: this.heartbeats * 1000,
    });
  }

  /** Publishes one signed message to the DM's exchange under this agent's routing key. */
  async send(type: string, payload: unknown, jobId?: string): Promise<void> {
    if (this.publisher === undefined) {
      throw new Error(`${this.options.name} is not connected`);
    }
    const { topology, name, dm } = this.options;
    await this.publisher.send(
      {
        exchange: topology.dmExchange,
        routingKey: topology.agentToDmRoutingKey(name, type.split('.')[1] ?? 'report'),
      },
      { type, recipient: dm.thumbprint, payload, ...(jobId === undefined ? {} : { jobId }) },
    );
  }

  /** Stops consuming and closes every connection (safe to call twice). */
  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.connection?.close();
    await this.enrollment?.close();
    this.consumer = undefined;
    this.connection = undefined;
    this.enrollment = undefined;
  }
}
