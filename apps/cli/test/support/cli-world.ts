import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bootstrap, DmBroker, type DmServer } from '@flotilla/dm';
import { BrokerNamespace, TEST_AMQP_URL } from '../../../../libs/messaging/testing';
import { runFlotilla, type CliRun } from './run-flotilla';

/** The admin password of the DM under test. */
export const CLI_ADMIN_PASSWORD = 'cli admin password 1234';
/** The model library's fixtures (three-tier and the broken variants). */
export const MODEL_FIXTURES = resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'libs',
  'model',
  'fixtures',
);

/**
 * A real DM on the embedded database (its broker side under a private namespace) and a private
 * HOME for the CLI's credentials; `cli()` runs `flotilla` in-process against it.
 */
export class CliWorld {
  readonly broker = new BrokerNamespace();
  server!: DmServer;
  home!: string;
  private dataDir!: string;

  /** Starts the DM and makes the private HOME. */
  async start(): Promise<void> {
    this.home = await mkdtemp(join(tmpdir(), 'flotilla-cli-home-'));
    this.dataDir = await mkdtemp(join(tmpdir(), 'flotilla-cli-dm-'));
    this.server = await bootstrap({
      env: {
        FLOTILLA_HOST: '127.0.0.1',
        FLOTILLA_LOG_LEVEL: 'silent',
        FLOTILLA_ADMIN_PASSWORD: CLI_ADMIN_PASSWORD,
        FLOTILLA_DATA_DIR: this.dataDir,
        FLOTILLA_AMQP_URL: TEST_AMQP_URL,
        FLOTILLA_AMQP_NAMESPACE: this.broker.id,
        FLOTILLA_LOGIN_ATTEMPTS_PER_MINUTE: '1000',
      },
      listenPort: 0,
      output: { write: () => true },
    });
    await this.server.app.get(DmBroker).whenReady();
  }

  /** Runs `flotilla ARGS` in-process with this world's HOME; stdin carries `input` if given. */
  cli(args: readonly string[], input = '', env: Record<string, string> = {}): Promise<CliRun> {
    return runFlotilla(args, { home: this.home, input, env });
  }

  /** Logs the CLI in as admin. */
  async login(): Promise<CliRun> {
    return this.cli(
      ['login', '--url', this.server.url, '--username', 'admin', '--password-stdin'],
      `${CLI_ADMIN_PASSWORD}\n`,
    );
  }

  /** Stops the DM and removes its data, the HOME and the broker namespace. */
  async stop(): Promise<void> {
    await this.server?.close();
    await this.broker.nuke();
    await rm(this.home, { recursive: true, force: true });
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
