import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { RabbitManagementClient, type RabbitManagementOptions } from '@flotilla/messaging';
import { RABBITMQ_BIN, RabbitMqClusterNode } from './rabbitmq-cluster-node';

const APPLY_SCRIPT = resolve(__dirname, '../../rabbitmq/apply.sh');
/** The administrator rabbitmq/apply.sh creates (local test credentials). */
const ADMIN = { username: 'flotilla-admin', password: 'flotilla-admin' } as const;
const VHOST = 'flotilla';
/** How often the management API is asked again for connections it does not list yet. */
const CONNECTION_POLL_MS = 500;
/** How long one node may take to boot on this 2-core machine. */
const NODE_BOOT_TIMEOUT_MS = 90_000;

/** Where a test cluster's ports start (AMQP 5681.., management 15681.., distribution 25681..). */
export interface RabbitMqClusterOptions {
  readonly size?: number;
  readonly firstAmqpPort?: number;
}

/**
 * A RabbitMQ cluster of `size` (3) extra nodes on this machine, for tests: each node with its own
 * name (`flotilla-c1@localhost`...), ports, data, logs and config in a temp directory, one Erlang
 * cookie of their own, joined to the first node, with rabbitmq/apply.sh's definitions (vhost,
 * users, permissions, exchanges, quorum policies). The machine's own broker is never touched.
 */
export class RabbitMqCluster {
  /** How long `start` took, from the first node spawned to the definitions applied. */
  startupMs = 0;
  /** How long each start-up phase took (boot, join, definitions), in milliseconds. */
  readonly phasesMs: Record<string, number> = {};

  private constructor(
    readonly nodes: readonly RabbitMqClusterNode[],
    private readonly directory: string,
  ) {}

  /** Starts, joins and configures the nodes; removes everything again if any step fails. */
  static async start(options: RabbitMqClusterOptions = {}): Promise<RabbitMqCluster> {
    const began = Date.now();
    const size = options.size ?? 3;
    const firstPort = options.firstAmqpPort ?? 5681;
    const directory = await mkdtemp(join(tmpdir(), 'flotilla-rabbit-cluster-'));
    const home = join(directory, 'home');
    await mkdir(home);
    const cookie = join(home, '.erlang.cookie');
    await writeFile(cookie, randomBytes(24).toString('hex'));
    await chmod(cookie, 0o400);
    const nodes = Array.from({ length: size }, (_, index) => {
      const port = firstPort + index;
      return new RabbitMqClusterNode({
        shortName: `flotilla-c${index + 1}`,
        amqpPort: port,
        managementPort: port + 10_000,
        distPort: port + 20_000,
        directory: join(directory, `c${index + 1}`),
        home,
        seed: index === 0 ? undefined : 'flotilla-c1@localhost',
      });
    });
    const cluster = new RabbitMqCluster(nodes, directory);
    try {
      await cluster.boot();
    } catch (error: unknown) {
      await cluster.stop();
      throw error;
    }
    cluster.startupMs = Date.now() - began;
    return cluster;
  }

  /** The comma-separated AMQP URLs of every node, reached at `host` as `username`. */
  amqpUrls(host = '127.0.0.1', username: string = ADMIN.username, password = ADMIN.password) {
    const credentials = `${encodeURIComponent(username)}:${encodeURIComponent(password)}`;
    return this.nodes
      .map((node) => `amqp://${credentials}@${host}:${node.spec.amqpPort}/${VHOST}`)
      .join(',');
  }

  /** The management API of one node, as the administrator. */
  management(node: RabbitMqClusterNode): RabbitManagementOptions {
    return {
      baseUrl: `http://127.0.0.1:${node.spec.managementPort}`,
      ...ADMIN,
      vhost: VHOST,
    };
  }

  /**
   * The node a client reached, from the URL its `connected` event reports (the management API
   * lists connections only after a statistics interval).
   * @throws Error when no node listens on that URL's port.
   */
  nodeOfUrl(url: string): RabbitMqClusterNode {
    const port = Number(new URL(url).port);
    const node = this.nodes.find((candidate) => candidate.spec.amqpPort === port);
    if (node === undefined) {
      throw new Error(`no node of the test cluster listens on ${url}`);
    }
    return node;
  }

  /**
   * The node each named client connection is attached to, read from the management API of a
   * running node once it lists them all (it lists a connection after its first statistics).
   * @throws Error naming the missing connections after `timeoutMs`.
   */
  async nodesOfConnections(
    names: readonly string[],
    timeoutMs = 30_000,
  ): Promise<Map<string, string>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const client = new RabbitManagementClient(this.management(this.runningNode()));
      const listed = (await client.request(
        'GET',
        '/api/connections?columns=node,client_properties',
      )) as {
        node: string;
        client_properties?: { connection_name?: string };
      }[];
      const nodes = new Map(
        listed.map((item) => [item.client_properties?.connection_name ?? '', item.node]),
      );
      const missing = names.filter((name) => !nodes.has(name));
      if (missing.length === 0) {
        return new Map(names.map((name) => [name, nodes.get(name)!]));
      }
      if (Date.now() > deadline) {
        throw new Error(
          `connections ${missing.join(', ')} not listed by the cluster in ${timeoutMs} ms`,
        );
      }
      await delay(CONNECTION_POLL_MS);
    }
  }

  /** The names of the cluster nodes RabbitMQ reports running, read from a running node. */
  async runningNodeNames(): Promise<string[]> {
    const client = new RabbitManagementClient(this.management(this.runningNode()));
    const listed = (await client.request('GET', '/api/nodes?columns=name,running')) as {
      name: string;
      running: boolean;
    }[];
    return listed.filter((node) => node.running).map((node) => node.name);
  }

  /** A node whose process runs. */
  runningNode(): RabbitMqClusterNode {
    const node = this.nodes.find((candidate) => candidate.isRunning);
    if (node === undefined) {
      throw new Error('no node of the test cluster is running');
    }
    return node;
  }

  /** Starts a killed node again on its data: it rejoins the cluster by itself. */
  async restart(node: RabbitMqClusterNode): Promise<void> {
    await node.start();
    await node.waitUntilUp(NODE_BOOT_TIMEOUT_MS);
  }

  /** Kills every node (SIGKILL of each process group) and removes the directory. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()));
    await rm(this.directory, { recursive: true, force: true });
  }

  private async boot(): Promise<void> {
    for (const node of this.nodes) {
      await node.prepare();
    }
    const [seed, ...others] = this.nodes;
    await this.timed('seed', async () => {
      await seed.start();
      await seed.waitUntilUp(NODE_BOOT_TIMEOUT_MS);
    });
    // The others find the seed in their config (classic peer discovery) and join it as they boot:
    // the same result as `stop_app; join_cluster; start_app` without restarting them. Definitions
    // are cluster-wide, so the seed gets them meanwhile and the others receive them as they join.
    await Promise.all([
      this.timed('join', async () => {
        await Promise.all(others.map((node) => node.start()));
        await Promise.all(others.map((node) => node.waitUntilUp(NODE_BOOT_TIMEOUT_MS)));
      }),
      this.timed('definitions', () => this.applyDefinitions(seed)),
    ]);
    const running = await this.runningNodeNames();
    if (running.length !== this.nodes.length) {
      throw new Error(
        `test cluster runs ${running.join(', ')} instead of ${this.nodes.length} nodes`,
      );
    }
  }

  private async timed(phase: string, work: () => Promise<void>): Promise<void> {
    const began = Date.now();
    await work();
    this.phasesMs[phase] = Date.now() - began;
  }

  /** Runs rabbitmq/apply.sh against the cluster (definitions are cluster-wide). */
  private async applyDefinitions(node: RabbitMqClusterNode): Promise<void> {
    await promisify(execFile)('bash', [APPLY_SCRIPT], {
      env: {
        ...node.environment,
        FLOTILLA_RABBITMQCTL: join(RABBITMQ_BIN, 'rabbitmqctl'),
        FLOTILLA_RABBITMQ_NODE: node.name,
        FLOTILLA_AMQP_MANAGEMENT_URL: `http://127.0.0.1:${node.spec.managementPort}`,
        FLOTILLA_AMQP_QUEUE_TYPE: 'quorum',
      },
    });
  }
}
