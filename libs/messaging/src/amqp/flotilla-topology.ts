import { DEFAULT_QUEUE_TYPE, DEFAULT_RETRY_DELAYS_MS } from './amqp.constants';
import { AmqpError } from './amqp.errors';
import type { QueueSpec, QueueType, TopologySpec, WorkQueueRoute } from './topology.types';

const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The argument that makes a queue a replicated quorum queue. */
const QUORUM = Object.freeze({ 'x-queue-type': 'quorum' });

/** The options of `FlotillaTopology`: a namespace prefix (tests use a uuid), the retry delays and the queue type. */
export interface FlotillaTopologyOptions {
  /** Prefixed to every exchange and queue name (`<namespace>.flotilla.dm`); empty in production. */
  readonly namespace?: string;
  readonly retryDelaysMs?: readonly number[];
  /** `classic` (the default) or `quorum` (replicated, for clusters; decision 0161). */
  readonly queueType?: QueueType;
}

/**
 * The names and declarations of Flotilla's broker topology (documented in rabbitmq/README.md):
 * agents publish to the DM through `flotilla.dm`, the DM commands agents through `flotilla.agents`,
 * enrolment requests go through `flotilla.enroll`, and every work queue has retry queues on
 * `flotilla.retry` and a dead-letter queue on `flotilla.dead`.
 */
export class FlotillaTopology {
  readonly dmExchange: string;
  readonly agentsExchange: string;
  readonly enrollExchange: string;
  readonly retryExchange: string;
  readonly deadExchange: string;
  readonly dmInboxQueue: string;
  readonly dmEnrollQueue: string;
  readonly retryDelaysMs: readonly number[];
  readonly queueType: QueueType;
  /** The routing key an enrolling agent publishes its request with. */
  readonly enrollRoutingKey = 'enroll.request';
  private readonly prefix: string;

  constructor(options: FlotillaTopologyOptions = {}) {
    const prefix = options.namespace ? `${options.namespace}.` : '';
    this.prefix = prefix;
    this.dmExchange = `${prefix}flotilla.dm`;
    this.agentsExchange = `${prefix}flotilla.agents`;
    this.enrollExchange = `${prefix}flotilla.enroll`;
    this.retryExchange = `${prefix}flotilla.retry`;
    this.deadExchange = `${prefix}flotilla.dead`;
    this.dmInboxQueue = `${prefix}flotilla.dm.inbox`;
    this.dmEnrollQueue = `${prefix}flotilla.dm.enroll`;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.queueType = options.queueType ?? DEFAULT_QUEUE_TYPE;
  }

  /**
   * The durable queue of one agent's commands.
   * @throws AmqpError AMQP_TOPOLOGY_INVALID when the agent name is not a lowercase DNS-like label.
   */
  agentQueue(agentName: string): string {
    assertAgentName(agentName);
    return `${this.prefix}flotilla.agent.${agentName}`;
  }

  /** The routing key an agent publishes to the DM with: `agent.<name>.<kind>`. */
  agentToDmRoutingKey(agentName: string, kind: string): string {
    assertAgentName(agentName);
    return `agent.${agentName}.${kind}`;
  }

  /** The routing key the DM commands an agent with: `agent.<name>.<kind>`. */
  dmToAgentRoutingKey(agentName: string, kind: string): string {
    return this.agentToDmRoutingKey(agentName, kind);
  }

  /** The exchanges every party relies on; declared by the DM (and by rabbitmq/apply.sh). */
  exchanges(): TopologySpec {
    const topic = 'topic' as const;
    return {
      exchanges: [
        this.dmExchange,
        this.agentsExchange,
        this.enrollExchange,
        this.retryExchange,
        this.deadExchange,
      ].map((name) => ({ name, type: topic })),
      queues: [],
      bindings: [],
    };
  }

  /** Everything the DM declares: the exchanges, its inbox and its enrolment queue. */
  dmTopology(): TopologySpec {
    return mergeTopologies([
      this.exchanges(),
      this.workQueue(this.dmInboxQueue, this.dmExchange, 'agent.#'),
      this.workQueue(this.dmEnrollQueue, this.enrollExchange, this.enrollRoutingKey),
    ]);
  }

  /** What the DM declares when it accepts an agent: the agent's command queue and its retry/dead queues. */
  agentTopology(agentName: string): TopologySpec {
    return this.workQueue(this.agentQueue(agentName), this.agentsExchange, `agent.${agentName}.#`);
  }

  /** Where the consumer of `queue` sends retries and dead letters. */
  routeOf(queue: string): WorkQueueRoute {
    return {
      queue,
      retryExchange: this.retryExchange,
      retryRoutingKeys: this.retryDelaysMs.map((_, index) => retryQueueName(queue, index)),
      deadExchange: this.deadExchange,
      deadRoutingKey: queue,
    };
  }

  /** A work queue bound to `exchange`, with one TTL retry queue per delay and a dead-letter queue. */
  workQueue(queue: string, exchange: string, bindingKey: string): TopologySpec {
    const retryQueues: QueueSpec[] = this.retryDelaysMs.map((ttl, index) => ({
      name: retryQueueName(queue, index),
      // Expired retries go back to the work queue through the default exchange.
      arguments: {
        'x-message-ttl': ttl,
        ...this.deadLettering('', queue),
      },
    }));
    const deadQueue = `${queue}.dead`;
    return {
      exchanges: [],
      queues: [
        { name: queue, arguments: this.deadLettering(this.deadExchange, queue) },
        ...retryQueues,
        { name: deadQueue, ...(this.queueType === 'quorum' ? { arguments: QUORUM } : {}) },
      ],
      bindings: [
        { queue, exchange, routingKey: bindingKey },
        ...retryQueues.map((retry) => ({
          queue: retry.name,
          exchange: this.retryExchange,
          routingKey: retry.name,
        })),
        { queue: deadQueue, exchange: this.deadExchange, routingKey: queue },
      ],
    };
  }

  /**
   * The arguments of a queue that dead-letters to `exchange` under `routingKey`. A quorum queue
   * dead-letters at least once (the broker keeps the message until the target queue confirmed it,
   * so a node loss cannot drop a retry on its way back), which RabbitMQ allows only together with
   * `reject-publish` overflow.
   */
  private deadLettering(exchange: string, routingKey: string): Record<string, string> {
    const target = { 'x-dead-letter-exchange': exchange, 'x-dead-letter-routing-key': routingKey };
    if (this.queueType === 'classic') {
      return target;
    }
    return {
      ...QUORUM,
      ...target,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    };
  }
}

/** The name of the retry queue of `queue` at `level` (0-based): `<queue>.retry.<level + 1>`. */
export function retryQueueName(queue: string, level: number): string {
  return `${queue}.retry.${level + 1}`;
}

/** One topology made of several, in order (later declarations follow earlier ones). */
export function mergeTopologies(parts: readonly TopologySpec[]): TopologySpec {
  return {
    exchanges: parts.flatMap((part) => part.exchanges),
    queues: parts.flatMap((part) => part.queues),
    bindings: parts.flatMap((part) => part.bindings),
  };
}

function assertAgentName(agentName: string): void {
  if (!AGENT_NAME_PATTERN.test(agentName)) {
    throw new AmqpError(
      'AMQP_TOPOLOGY_INVALID',
      `agent name "${agentName}" is not a lowercase label of letters, digits and dashes (max 63)`,
    );
  }
}
