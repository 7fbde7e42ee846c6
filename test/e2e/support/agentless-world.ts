import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DeploymentEvents, DM_IDENTITY, type DmServer } from '@flotilla/dm';
import type { Identity } from '@flotilla/messaging';
import { BrokerNamespace, TEST_AMQP_URL } from '../../../libs/messaging/testing';
import { makeKeyPair, SshdServer } from '../../../libs/recipes/test/ssh/sshd-server';
import { TestNetwork, type TestHost } from '../../support/netns';
import { acceptWhenPending, createEnrollmentUser, E2E_ENROLL_PASSWORD } from './agent-enrollment';
import { LaunchedAgent } from './agent-launcher';
import { DmClient, type ListedInstance } from './dm-client';
import { tarGzOf } from './template-archive';
import { TestDmHome } from './test-dm';

/** The SSH port of the agentless host. */
const SSH_PORT = 2222;
/** The port the Echo server of the agentless host listens on. */
export const ECHO_PORT = 18090;
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
 * roots: `/host`, pinned to the target's real host key, and `/impostor`, the same target pinned
 * to another key (as if the host key had changed). Both are agentless with proxies a then b.
 */
export class AgentlessWorld {
  readonly broker = new BrokerNamespace();
  readonly application = `agentless-${this.broker.id.slice(2, 10)}`;
  readonly agents = new Map<ProxyRole, LaunchedAgent>();
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
    this.sshd = await SshdServer.start(this.host('target'), SSH_PORT);
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
    const enrollUser = await createEnrollmentUser(this.broker);
    await this.createApplication();
    for (const role of PROXY_ROLES) {
      this.startProxy(role, enrollUser);
      await acceptWhenPending(this.client, this.proxyName(role), () => this.agentLogs());
    }
    const impostorKey = await makeKeyPair(this.directory, 'impostor');
    await this.declare('/host', this.sshd.hostKey.fingerprint);
    await this.declare('/impostor', impostorKey.fingerprint);
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

  /** What the Echo server of the target says, read from the client host; null when unreachable. */
  async probe(): Promise<string | null> {
    const address = this.host('target').address;
    const script = `const s=require('node:net').connect(${ECHO_PORT},'${address}');let d='';s.setTimeout(3000,()=>{s.destroy();process.exit(2)});s.on('data',c=>d+=c);s.on('end',()=>{process.stdout.write(d);process.exit(0)});s.on('error',()=>process.exit(1));`;
    const output = await this.host('client').exec(process.execPath, ['-e', script]);
    return output.exitCode === 0 ? output.stdout.trim() : null;
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
    await this.killEchoServer();
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
      `Host {\n\tinstaller: target;\n\tchildren: Echo;\n}\n\nEcho {\n\tinstaller: script;\n\texports: port = ${ECHO_PORT}, stateDir = ${join(this.directory, 'echo-state')};\n}\n`,
    );
    await mkdir(join(template, 'instances'));
    await writeFile(
      join(template, 'instances', 'initial.instances'),
      ['host', 'impostor']
        .map(
          (name) =>
            `instance of Host {\n\tname: ${name};\n\tinstance of Echo {\n\t\tname: echo;\n\t}\n}\n`,
        )
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

  private async declare(path: string, hostKeyFingerprint: string): Promise<void> {
    await this.client
      .api('post', `/applications/${this.application}/agentless-targets`)
      .send({
        path,
        host: this.host('target').address,
        port: SSH_PORT,
        user: 'root',
        hostKeyFingerprint,
        firewall: 'nft-managed',
        proxies: PROXY_ROLES.map((role) => this.proxyName(role)),
      })
      .expect(204);
  }

  private startProxy(role: ProxyRole, enrollUser: string): void {
    const name = this.proxyName(role);
    const dm = this.server.app.get<Identity>(DM_IDENTITY);
    const gateway = this.network!.gatewayAddress;
    this.agents.set(
      role,
      LaunchedAgent.launch(this.host(role), {
        FLOTILLA_AGENT_NAME: name,
        FLOTILLA_AMQP_URL: `amqp://${enrollUser}:${E2E_ENROLL_PASSWORD}@${gateway}:5672/flotilla`,
        FLOTILLA_BROKER_NAMESPACE: this.broker.id,
        FLOTILLA_DM_THUMBPRINT: dm.thumbprint,
        FLOTILLA_DATA_DIR: join(this.directory, name),
        FLOTILLA_FIREWALL: 'none',
        FLOTILLA_HEARTBEAT_INTERVAL_MS: '1000',
        FLOTILLA_LOG_LEVEL: 'debug',
        FLOTILLA_PROXY: 'true',
        FLOTILLA_PROXY_KEYS: join(this.directory, 'id_proxy'),
      }),
    );
  }

  /** Kills the Echo server a started instance left running on the target. */
  private async killEchoServer(): Promise<void> {
    const pid = await readFile(join(this.directory, 'echo-state', 'server.pid'), 'utf8').catch(
      () => '',
    );
    if (/^\d+$/.test(pid.trim())) {
      try {
        process.kill(Number(pid.trim()), 'SIGKILL');
      } catch {
        // Already gone: the stop step killed it.
      }
    }
  }
}
