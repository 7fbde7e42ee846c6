import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DeploymentEvents, type DmServer } from '@flotilla/dm';
import { BrokerNamespace, TEST_AMQP_URL } from '../../../libs/messaging/testing';
import { makeKeyPair, SshdServer } from '../../../libs/recipes/test/ssh/sshd-server';
import { runCommand, TestNetwork, type TestHost } from '../../support/netns';
import { createPasswordUser, throwawayUserName } from '../../../libs/recipes/test/throwaway-users';
import {
  acceptWhenPending,
  agentLinkOf,
  agentVariables,
  createEnrollmentUser,
} from './agent-enrollment';
import { LaunchedAgent } from './agent-launcher';
import { DmClient, type ListedInstance } from './dm-client';
import { tarGzOf } from './template-archive';
import { probeTcp } from './tcp-probe';
import { TestDmHome } from './test-dm';

/** Tag of the throwaway password user (libs/recipes' helper removes those of dead runs). */
const PASSWORD_USER_TAG = 'x';
/** A host number of the test network that no host holds: `/unreachable` points there. */
const UNREACHABLE_HOST_NUMBER = 250;
/** The SSH port of the agentless host. */
const SSH_PORT = 2222;
/** The ports of the two Echo servers of the agentless host (`/host/echo`, `/host/echo2`). */
export const ECHO_PORTS = { '/host/echo': 18090, '/host/echo2': 18091 } as const;
/** An Echo instance of the agentless host. */
export type EchoPath = keyof typeof ECHO_PORTS;
/** The Echo recipes of the SSH executor's tests, reused as the component deployed over SSH. */
const ECHO_COMPONENT = resolve(__dirname, '../../../libs/recipes/test/ssh/fixture/graph/Echo');
/** The two proxy agents, first choice first. */
export const PROXY_ROLES = ['proxy-a', 'proxy-b'] as const;
/** A proxy agent's role. */
export type ProxyRole = (typeof PROXY_ROLES)[number];

/**
 * The agentless world: the real DM (PostgreSQL, the test broker under a private namespace) in
 * the root namespace; a `target` host running only Debian's sshd (no agent); two proxy agents
 * in their own hosts holding the SSH key; a `client` host to probe from. The template has two
 * roots: `/host` (two Echo servers), pinned to the target's real host key, and `/impostor`, the
 * same target pinned to another key (as if the host key had changed), both as root with the
 * proxies' key and a managed nftables firewall; and `/pw`, the same target as a throwaway user
 * logging in with a password the DM keeps sealed. All are agentless with proxies a then b.
 */
export class AgentlessWorld {
  readonly broker = new BrokerNamespace();
  readonly application = `agentless-${this.broker.id.slice(2, 10)}`;
  readonly agents = new Map<ProxyRole, LaunchedAgent>();
  /** A throwaway user of the target who logs in with a password (root `/pw`). */
  readonly passwordUser = throwawayUserName(PASSWORD_USER_TAG);
  private readonly password = `pw-${randomBytes(12).toString('hex')}`;
  server!: DmServer;
  client!: DmClient;
  sshd!: SshdServer;
  private readonly hosts = new Map<string, TestHost>();
  private network?: TestNetwork;
  private home?: TestDmHome;
  private directory = '';

  /** Builds everything; `stop()` removes it. */
  async start(): Promise<void> {
    this.directory = await mkdtemp(join(tmpdir(), 'flotilla-agentless-e2e-'));
    this.network = await TestNetwork.create();
    for (const name of ['target', ...PROXY_ROLES, 'client']) {
      this.hosts.set(name, await this.network.addHost(name));
    }
    await createPasswordUser(PASSWORD_USER_TAG, this.passwordUser, this.password);
    this.sshd = await SshdServer.start(this.host('target'), SSH_PORT, { isPasswordAllowed: true });
    await writeFile(join(this.directory, 'id_proxy'), this.sshd.clientKey.privateKey, {
      mode: 0o600,
    });
    this.home = await TestDmHome.create();
    // Proxies are lost after three missed one-second heartbeats.
    this.server = await this.home.start(TEST_AMQP_URL, this.broker.id, {
      FLOTILLA_HEARTBEAT_INTERVAL: '1',
      FLOTILLA_MISSED_HEARTBEATS: '3',
    });
    this.client = await DmClient.login(this.server);
    await createEnrollmentUser(this.broker);
    await this.createApplication();
    for (const role of PROXY_ROLES) {
      this.startProxy(role);
      await acceptWhenPending(this.client, this.proxyName(role), () => this.agentLogs());
    }
    const impostorKey = await makeKeyPair(this.directory, 'impostor');
    await this.declare({ path: '/host', hostKeyFingerprint: this.sshd.hostKey.fingerprint });
    await this.declare({ path: '/impostor', hostKeyFingerprint: impostorKey.fingerprint });
    await this.declare({
      path: '/unreachable',
      hostKeyFingerprint: this.sshd.hostKey.fingerprint,
      host: this.host('target').address.replace(/\.\d+$/, `.${UNREACHABLE_HOST_NUMBER}`),
    });
    await this.declare({
      path: '/pw',
      hostKeyFingerprint: this.sshd.hostKey.fingerprint,
      user: this.passwordUser,
      password: this.password,
      firewall: 'none',
    });
  }

  /** The agent name of a proxy role (unique to this world). */
  proxyName(role: ProxyRole): string {
    return `${role}-${this.broker.id.slice(2, 10)}`;
  }

  /** The host (network namespace) of that name. */
  host(name: string): TestHost {
    const host = this.hosts.get(name);
    if (host === undefined) {
      throw new Error(`no test host ${name}`);
    }
    return host;
  }

  /** Asks the DM for a desired state of one instance of the application. */
  async request(path: string, state: string): Promise<void> {
    await this.client
      .api('post', `/applications/${this.application}/instances/desired-state`)
      .send({ path, state })
      .expect(202);
  }

  /** What an Echo server of the target says, read from the client host; null when unreachable. */
  async probe(path: EchoPath): Promise<string | null> {
    return probeTcp(this.host('client'), this.host('target').address, ECHO_PORTS[path]);
  }

  /** The target's Flotilla nftables table, as `nft list` prints it ('' when there is none). */
  async targetFirewall(): Promise<string> {
    return (await this.host('target').exec('nft', ['list', 'table', 'inet', 'flotilla'])).stdout;
  }

  /** Resolves with the instance once `isDone` holds for it, re-reading after each DM event. */
  async waitForInstance(
    path: string,
    isDone: (instance: ListedInstance) => boolean,
    timeoutMs: number,
  ): Promise<ListedInstance> {
    const events = this.server.app.get(DeploymentEvents);
    let wake: () => void = () => undefined;
    const subscription = events.stream().subscribe(() => wake());
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      for (;;) {
        const changed = new Promise<void>((resolve) => (wake = resolve));
        const instance = (await this.client.instances(this.application)).get(path);
        if (instance !== undefined && isDone(instance)) {
          return instance;
        }
        if (deadline.aborted) {
          throw new Error(
            `${path} never got there within ${timeoutMs} ms: ${JSON.stringify(instance)}`,
          );
        }
        await Promise.race([changed, once(deadline, 'abort')]);
      }
    } finally {
      subscription.unsubscribe();
    }
  }

  /** Resolves once `role`'s proxy streams output of a step of `path` (its recipe is running). */
  async waitForOutput(role: ProxyRole, path: string, timeoutMs: number): Promise<void> {
    const agent = this.proxyName(role);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${agent} streamed no output of ${path} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const subscription = this.server.app
        .get(DeploymentEvents)
        .stream()
        .subscribe((event) => {
          if (event.type === 'step.output' && event.agent === agent && event.path === path) {
            clearTimeout(timer);
            subscription.unsubscribe();
            resolve();
          }
        });
    });
  }

  /** Everything the proxies printed, for failure messages. */
  agentLogs(): string {
    return [...this.agents.entries()]
      .map(([role, agent]) => `--- ${role}\n${agent.log}`)
      .join('\n');
  }

  /** Stops the proxies, the DM and sshd; kills the Echo server; removes everything created. */
  async stop(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.stop()));
    await this.server?.close();
    await this.killEchoServers();
    await this.removeLeftStepDirectories();
    await rm(this.stateDirOf('pw', 'echo'), { recursive: true, force: true });
    await runCommand('userdel', [this.passwordUser]);
    await this.sshd?.stop();
    await this.network?.destroy();
    for (const role of this.agents.keys()) {
      await this.broker.management.deleteUser(`flotilla-agent-${this.proxyName(role)}`);
    }
    await this.broker.nuke();
    await this.home?.remove();
    await rm(this.directory, { recursive: true, force: true });
  }

  private async createApplication(): Promise<void> {
    const template = join(this.directory, 'template');
    await cp(ECHO_COMPONENT, join(template, 'graph', 'Echo'), { recursive: true });
    // Deploy takes a few seconds, so that the failover test can kill its proxy while it runs.
    await writeFile(
      join(template, 'graph', 'Echo', 'scripts', 'deploy.sh'),
      '#!/bin/sh\nset -eu\necho "deploying $ROBOCONF_INSTANCE_PATH"\nsleep 3\nmkdir -p "$stateDir"\n',
      { mode: 0o755 },
    );
    await mkdir(join(template, 'descriptor'));
    await writeFile(
      join(template, 'descriptor', 'application.properties'),
      'name = agentless-echo\nversion = 1.0.0\ndsl-id = roboconf-1.0\ngraph-entry-point = main.graph\ninstance-entry-point = initial.instances\n',
    );
    await writeFile(
      join(template, 'graph', 'main.graph'),
      'Host {\n\tinstaller: target;\n\tchildren: Echo;\n}\n\nEcho {\n\tinstaller: script;\n\texports: port, stateDir;\n}\n',
    );
    await mkdir(join(template, 'instances'));
    await writeFile(
      join(template, 'instances', 'initial.instances'),
      [
        ['host', ['echo', 'echo2']],
        ['impostor', ['echo']],
        ['pw', ['echo']],
        ['unreachable', ['echo']],
      ]
        .map(([host, echoes]) => {
          const children = [...echoes].map((name) => {
            const port = ECHO_PORTS[`/host/${name}` as EchoPath];
            const state = this.stateDirOf(host as string, name);
            return `\tinstance of Echo {\n\t\tname: ${name};\n\t\tport: ${port};\n\t\tstateDir: ${state};\n\t}\n`;
          });
          return `instance of Host {\n\tname: ${host as string};\n${children.join('')}}\n`;
        })
        .join('\n'),
    );
    await this.client
      .api('post', '/templates')
      .set('Content-Type', 'application/gzip')
      .send(await tarGzOf(template))
      .expect(201);
    await this.client
      .api('post', '/applications')
      .send({ name: this.application, template: 'agentless-echo' })
      .expect(201);
  }

  /** Declares a root agentless on the target: root with the proxies' key unless told otherwise. */
  private async declare(declaration: {
    path: string;
    hostKeyFingerprint: string;
    user?: string;
    password?: string;
    firewall?: string;
    host?: string;
  }): Promise<void> {
    await this.client
      .api('post', `/applications/${this.application}/agentless-targets`)
      .send({
        host: this.host('target').address,
        port: SSH_PORT,
        user: 'root',
        firewall: 'nft-managed',
        proxies: PROXY_ROLES.map((role) => this.proxyName(role)),
        ...declaration,
      })
      .expect(204);
  }

  private startProxy(role: ProxyRole): void {
    const link = agentLinkOf(this.proxyName(role), {
      broker: this.broker,
      server: this.server,
      network: this.network!,
      directory: this.directory,
    });
    this.agents.set(
      role,
      LaunchedAgent.launch(this.host(role), {
        ...agentVariables(link),
        FLOTILLA_FIREWALL: 'none',
        FLOTILLA_PROXY: 'true',
        FLOTILLA_PROXY_KEYS: join(this.directory, 'id_proxy'),
      }),
    );
  }

  /** Where the Echo `name` under root `host` keeps its state (writable by the password user). */
  stateDirOf(host: string, name: string): string {
    return host === 'pw'
      ? join(tmpdir(), `${this.application}-pw-${name}-state`)
      : join(this.directory, `${host}-${name}-state`);
  }

  /** Kills the Echo servers started instances left running on the target. */
  private async killEchoServers(): Promise<void> {
    for (const name of ['echo', 'echo2']) {
      const file = join(this.directory, `host-${name}-state`, 'server.pid');
      const pid = (await readFile(file, 'utf8').catch(() => '')).trim();
      if (/^\d+$/.test(pid)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // Already gone: its stop step killed it.
        }
      }
    }
  }

  /** Removes the target's step directories of this application that a killed proxy left. */
  private async removeLeftStepDirectories(): Promise<void> {
    const entries = await readdir(tmpdir()).catch(() => [] as string[]);
    for (const entry of entries.filter((name) => name.startsWith('flotilla-step.'))) {
      const environment = await readFile(join(tmpdir(), entry, 'step.env'), 'utf8').catch(() => '');
      if (environment.includes(this.application)) {
        await rm(join(tmpdir(), entry), { recursive: true, force: true });
      }
    }
  }
}
