import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { BrokerNamespace, TEST_AMQP_URL } from '../../../../libs/messaging/testing';
import { TEST_ADMIN_PASSWORD } from './support/test-dm';

const REPOSITORY = resolve(__dirname, '../../../..');
const CLI_MAIN = join(REPOSITORY, 'apps/cli/src/main.ts');
const START_TIMEOUT_MS = 60_000;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function startCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=flotilla-source', '-r', 'ts-node/register/transpile-only', CLI_MAIN, ...args],
    { cwd: REPOSITORY, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

function collect(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { stdout: () => stdout, stderr: () => stderr };
}

async function exitCodeOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) {
    return child.exitCode;
  }
  const [code] = (await once(child, 'exit', { signal: AbortSignal.timeout(START_TIMEOUT_MS) })) as [
    number | null,
  ];
  return code;
}

async function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  let seen = '';
  const signal = AbortSignal.timeout(START_TIMEOUT_MS);
  while (!pattern.test(seen)) {
    const [chunk] = (await once(child.stdout!, 'data', { signal })) as [Buffer];
    seen += chunk.toString();
  }
  return seen;
}

describe('flotilla dm', function () {
  this.timeout(120_000);
  let dataDir: string;
  let child: ChildProcess | undefined;
  let broker: BrokerNamespace;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'flotilla-dm-cli-'));
    broker = new BrokerNamespace();
  });

  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    child = undefined;
    await broker.nuke();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('should serve on the embedded database and exit 0 on SIGTERM', async () => {
    const port = await freePort();
    child = startCli(['dm', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir], {
      FLOTILLA_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      FLOTILLA_LOG_LEVEL: 'warn',
      FLOTILLA_AMQP_URL: TEST_AMQP_URL,
      FLOTILLA_AMQP_NAMESPACE: broker.id,
    });
    const output = await waitForOutput(child, /listening on (\S+)/);
    expect(output).to.contain(`http://127.0.0.1:${port}`).and.contain('embedded');
    await request(`http://127.0.0.1:${port}`).get('/api/health').expect(200);
    child.kill('SIGTERM');
    expect(await exitCodeOf(child)).to.equal(0);
  });

  it('should exit 1 listing every bad setting when flags and variables are invalid', async () => {
    child = startCli(['dm', '--port', 'eighty', '--data-dir', dataDir], {
      FLOTILLA_LOG_LEVEL: 'chatty',
    });
    const streams = collect(child);
    expect(await exitCodeOf(child)).to.equal(1);
    expect(streams.stderr())
      .to.contain('FLOTILLA_PORT: must be an integer from 1 to 65535')
      .and.contain('FLOTILLA_LOG_LEVEL: must be one of');
  });

  it('should print the same DM thumbprint every time, for agents to pin', async () => {
    child = startCli(['dm', '--print-thumbprint', '--data-dir', dataDir], {});
    const first = collect(child);
    expect(await exitCodeOf(child)).to.equal(0);
    child = startCli(['dm', '--print-thumbprint', '--data-dir', dataDir], {});
    const second = collect(child);
    expect(await exitCodeOf(child)).to.equal(0);

    expect(first.stdout()).to.match(/^[0-9a-f]{64}\n$/);
    expect(second.stdout()).to.equal(first.stdout());
  });
});
