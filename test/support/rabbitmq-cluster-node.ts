import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** Debian's RabbitMQ scripts, called directly (the /usr/sbin wrappers switch to the rabbitmq user). */
export const RABBITMQ_BIN = '/usr/lib/rabbitmq/bin';
/** How often a starting node's ports are probed. */
const PORT_PROBE_INTERVAL_MS = 200;
/** How much of a node's log a failure message quotes. */
const LOG_TAIL_CHARS = 3_000;

/** Where one node of a test cluster listens and keeps its files. */
export interface RabbitMqNodeSpec {
  /** The short node name (`flotilla-c1`); the node is `<name>@localhost`. */
  readonly shortName: string;
  readonly amqpPort: number;
  readonly managementPort: number;
  readonly distPort: number;
  /** The node's own directory (config, data, logs). */
  readonly directory: string;
  /** The HOME holding the cluster's Erlang cookie (shared by the nodes and their CLI calls). */
  readonly home: string;
  /** The node a fresh node joins at its first boot (classic config peer discovery); none for the seed. */
  readonly seed?: string;
}

/**
 * One RabbitMQ node of a test cluster, run as a child process group of the test (never the
 * machine's own `rabbit@<host>`): its own node name, ports, data, log and config files.
 */
export class RabbitMqClusterNode {
  /** The Erlang node name, `<shortName>@localhost`. */
  readonly name: string;
  private child: ChildProcess | undefined;

  constructor(readonly spec: RabbitMqNodeSpec) {
    this.name = `${spec.shortName}@localhost`;
  }

  /** Whether the node's process is running. */
  get isRunning(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  /** The environment the node and the CLI tools aimed at it run with. */
  get environment(): NodeJS.ProcessEnv {
    const { directory } = this.spec;
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.spec.home,
      RABBITMQ_NODENAME: this.name,
      RABBITMQ_NODE_PORT: String(this.spec.amqpPort),
      RABBITMQ_DIST_PORT: String(this.spec.distPort),
      RABBITMQ_MNESIA_BASE: join(directory, 'mnesia'),
      RABBITMQ_LOG_BASE: join(directory, 'log'),
      RABBITMQ_CONFIG_FILE: join(directory, 'rabbitmq.conf'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(directory, 'advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(directory, 'enabled_plugins'),
      // An empty env file: /etc/rabbitmq/rabbitmq-env.conf must not rename or move this node.
      RABBITMQ_CONF_ENV_FILE: join(directory, 'rabbitmq-env.conf'),
    };
  }

  /** Writes the node's config files and directories. */
  async prepare(): Promise<void> {
    const { directory } = this.spec;
    await mkdir(join(directory, 'mnesia'), { recursive: true });
    await mkdir(join(directory, 'log'), { recursive: true });
    await writeFile(
      join(directory, 'rabbitmq.conf'),
      [
        `listeners.tcp.default = ${this.spec.amqpPort}`,
        `management.tcp.port = ${this.spec.managementPort}`,
        'management.tcp.ip = 127.0.0.1',
        ...(this.spec.seed === undefined
          ? []
          : [
              'cluster_formation.peer_discovery_backend = classic_config',
              `cluster_formation.classic_config.nodes.1 = ${this.spec.seed}`,
            ]),
      ].join('\n') + '\n',
    );
    await writeFile(join(directory, 'enabled_plugins'), '[rabbitmq_management].\n');
    await writeFile(join(directory, 'rabbitmq-env.conf'), '');
  }

  /** Starts the node process (its own process group, so that `kill` takes every child along). */
  async start(): Promise<void> {
    const output = await open(join(this.spec.directory, 'console.log'), 'a');
    try {
      this.child = spawn(join(RABBITMQ_BIN, 'rabbitmq-server'), [], {
        cwd: this.spec.directory,
        env: this.environment,
        detached: true,
        stdio: ['ignore', output.fd, output.fd],
      });
    } finally {
      await output.close();
    }
  }

  /**
   * Resolves once the node accepts AMQP and management connections.
   * @throws Error naming the node, with its log, when it exits or is not up within `timeoutMs`.
   */
  async waitUntilUp(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const port of [this.spec.amqpPort, this.spec.managementPort]) {
      while (!(await isPortOpen(port))) {
        if (!this.isRunning || Date.now() > deadline) {
          const why = this.isRunning ? `not listening on ${port} after ${timeoutMs} ms` : 'exited';
          throw new Error(`RabbitMQ node ${this.name} ${why}\n${await this.logTail()}`);
        }
        await delay(PORT_PROBE_INTERVAL_MS);
      }
    }
  }

  /** Kills the node's whole process group with SIGKILL (a crash: no goodbye to the cluster). */
  async kill(): Promise<void> {
    const child = this.child;
    if (child?.pid === undefined || !this.isRunning) {
      return;
    }
    const exited = once(child, 'exit');
    process.kill(-child.pid, 'SIGKILL');
    await exited;
  }

  /** The end of the node's log, for failure messages. */
  async logTail(): Promise<string> {
    const file = join(this.spec.directory, 'log', `${this.name}.log`);
    const text = await readFile(file, 'utf8').catch(() => '(no log yet)');
    return text.slice(-LOG_TAIL_CHARS);
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
