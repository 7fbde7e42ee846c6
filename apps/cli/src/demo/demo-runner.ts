import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bootstrap, DM_IDENTITY, DmBroker, type DmServer } from '@flotilla/dm';
import type { Identity } from '@flotilla/messaging';
import { DmClient } from '../api/dm-client';
import { templateUploadOf } from '../api/template-archive';
import type { CliContext } from '../config/cli-context';
import { DeploymentWaiter } from '../deploy/deployment-waiter';
import { ProgressBar } from '../output/progress-bar';
import { DemoAgents } from './demo-agents';
import { DemoBroker } from './demo-broker';
import { DemoHosts } from './demo-hosts';
import {
  DEMO_APPLICATION,
  DEMO_BROKER_NAMESPACE,
  DEMO_DEFAULT_AMQP_URL,
  DEMO_ENROLL_TIMEOUT_MS,
  DEMO_PLACEMENT,
  DEMO_POLL_INTERVAL_MS,
  DEMO_SETTLE_TIMEOUT_MS,
} from './demo.constants';

/** The sample the demo deploys: the model library's three-tier template (from dist, ../../..). */
const THREE_TIER_DIR = resolve(__dirname, '../../../../libs/model/fixtures/three-tier');

/** What the demo needs from its command line and environment. */
export interface DemoOptions {
  readonly port: number;
  readonly amqpUrl?: string;
}

/**
 * The demo, step by step: the DM on the embedded database, a broker namespace and enrollment
 * user, two agents (network namespaces as root, local processes otherwise), accepted and bound,
 * the three-tier sample deployed and started with progress; `close()` undoes all of it.
 */
export class DemoRunner {
  private readonly agents = new DemoAgents();
  private readonly broker: DemoBroker;
  private readonly adminPassword = randomBytes(12).toString('base64url');
  private directory = '';
  private hosts?: DemoHosts;
  private server?: DmServer;
  private dm?: DmClient;

  constructor(
    private readonly context: CliContext,
    private readonly options: DemoOptions,
  ) {
    this.broker = new DemoBroker(options.amqpUrl ?? DEMO_DEFAULT_AMQP_URL);
  }

  /** Runs the demo up to "everything started"; throws (after printing why) on the first failure. */
  async run(): Promise<void> {
    this.directory = await mkdtemp(join(tmpdir(), 'flotilla-demo-'));
    await this.startDm();
    const isRoot = process.getuid?.() === 0;
    this.say(`Starting 2 agents ${isRoot ? 'in network namespaces' : 'as local processes'}`);
    this.hosts = await DemoHosts.create(Object.keys(DEMO_PLACEMENT), isRoot);
    await this.broker.createEnrollUser();
    const identity = this.server!.app.get<Identity>(DM_IDENTITY);
    for (const host of this.hosts.hosts) {
      this.agents.start(host, {
        enrollUrlFor: () => this.broker.enrollUrl(this.hosts!.brokerHost),
        brokerNamespace: DEMO_BROKER_NAMESPACE,
        dmThumbprint: identity.thumbprint,
        dataDirOf: (name) => join(this.directory, 'agents', name),
        hasFirewall: isRoot,
      });
    }
    await this.uploadSample();
    for (const [agent, roots] of Object.entries(DEMO_PLACEMENT)) {
      await this.acceptWhenPending(agent);
      for (const path of roots) {
        await this.dm!.request(
          'POST',
          `/api/applications/${DEMO_APPLICATION}/instances/bind-agent`,
          { json: { path, agent } },
        );
      }
      this.say(`Accepted agent ${agent}, bound ${roots.join(', ')}`);
    }
    await this.settle('start-all', 'deployed_started');
    this.printSummary();
  }

  /** Undeploys the sample, stops the agents and the DM, removes namespaces, broker objects and files. */
  async close(): Promise<void> {
    if (this.dm !== undefined) {
      await this.settle('undeploy-all', 'not_deployed').catch((error: unknown) => {
        this.say(`Undeploying did not finish: ${String(error)}`);
      });
    }
    await this.agents.stop();
    await this.server?.close();
    await this.hosts?.remove();
    await this.broker.remove(Object.keys(DEMO_PLACEMENT)).catch((error: unknown) => {
      this.say(`Broker clean-up failed: ${String(error)}`);
    });
    if (this.directory !== '') {
      await rm(this.directory, { recursive: true, force: true });
    }
    this.say('Demo cleaned up');
  }

  private async startDm(): Promise<void> {
    this.say('Starting the DM on the embedded database');
    this.server = await bootstrap({
      env: {
        FLOTILLA_DATA_DIR: join(this.directory, 'dm'),
        FLOTILLA_AMQP_URL: this.options.amqpUrl ?? DEMO_DEFAULT_AMQP_URL,
        FLOTILLA_AMQP_NAMESPACE: DEMO_BROKER_NAMESPACE,
        FLOTILLA_ADMIN_PASSWORD: this.adminPassword,
        FLOTILLA_LOG_LEVEL: 'warn',
      },
      listenPort: this.options.port,
      output: { write: () => true },
    });
    await this.server.app.get(DmBroker).whenReady();
    const login = await new DmClient(this.server.url).request<{ token: string }>(
      'POST',
      '/api/auth/login',
      {
        json: { username: 'admin', password: this.adminPassword },
      },
    );
    this.dm = new DmClient(this.server.url, login.token);
  }

  private async uploadSample(): Promise<void> {
    const upload = await templateUploadOf(THREE_TIER_DIR);
    await this.dm!.request('POST', '/api/templates', {
      body: upload.bytes,
      contentType: upload.contentType,
    });
    await this.dm!.request('POST', '/api/applications', {
      json: { name: DEMO_APPLICATION, template: 'three-tier' },
    });
    this.say(`Uploaded the three-tier sample as application "${DEMO_APPLICATION}"`);
  }

  private async acceptWhenPending(agent: string): Promise<void> {
    const deadline = Date.now() + DEMO_ENROLL_TIMEOUT_MS;
    for (;;) {
      const agents = await this.dm!.request<Array<{ name: string; state: string }>>(
        'GET',
        '/api/agents',
      );
      if (agents.some((entry) => entry.name === agent && entry.state === 'pending')) {
        await this.dm!.request('POST', `/api/agents/${agent}/accept`);
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `agent ${agent} did not enroll within ${DEMO_ENROLL_TIMEOUT_MS} ms:\n${this.agents.logOf(agent)}`,
        );
      }
      await new Promise((done) => setTimeout(done, DEMO_POLL_INTERVAL_MS));
    }
  }

  private async settle(action: string, state: string): Promise<void> {
    this.say(`${action}: waiting for every instance to be ${state}`);
    await this.dm!.request('POST', `/api/applications/${DEMO_APPLICATION}/actions/${action}`);
    const waiter = new DeploymentWaiter(this.dm!, {
      timeoutMs: DEMO_SETTLE_TIMEOUT_MS,
      pollIntervalMs: DEMO_POLL_INTERVAL_MS,
    });
    await waiter.wait(
      { app: DEMO_APPLICATION, state },
      (total) => new ProgressBar(this.context.stdout, total),
    );
  }

  private printSummary(): void {
    const url = this.server!.url.replace('0.0.0.0', '127.0.0.1');
    const addresses = this.hosts!.hosts.map(
      (host) => `${host.name}=${host.address ?? 'this machine'}`,
    );
    this.say(
      [
        'The three-tier sample is deployed and started.',
        `  Console:   ${url}/`,
        `  API docs:  ${url}/api/docs`,
        `  Login:     admin / ${this.adminPassword}`,
        `  Agents:    ${addresses.join(', ')}`,
        '  Try:       flotilla login --url ' + url + ' && flotilla instance ls ' + DEMO_APPLICATION,
        'Press Ctrl-C to undeploy and clean up.',
      ].join('\n'),
    );
  }

  private say(line: string): void {
    this.context.stdout.write(`[demo] ${line}\n`);
  }
}
