import { expect } from 'chai';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MODEL_FIXTURES } from './support/corpus';

const run = promisify(execFile);
const SCRIPTS = join(MODEL_FIXTURES, 'three-tier', 'graph');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('no TCP address');
  }
  return address.port;
}

async function readBanner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(port, '127.0.0.1');
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: the process is gone, which is what the caller wants to know.
    return false;
  }
}

describe('three-tier recipes', () => {
  let workspace: string;
  let environment: NodeJS.ProcessEnv;
  let filesDir: string;
  let port: number;

  beforeEach(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'flotilla-three-tier-'));
    const bin = join(workspace, 'bin');
    mkdirSync(bin);
    // A stand-in firewall helper that records its calls, so the test checks what the recipes ask.
    writeFileSync(
      join(bin, 'flotilla-fw'),
      `#!/bin/sh\necho "$@" >> "${join(workspace, 'fw.log')}"\n`,
    );
    chmodSync(join(bin, 'flotilla-fw'), 0o755);
    filesDir = join(workspace, 'instance', 'files');
    port = await freePort();
    environment = {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      ROBOCONF_FILES_DIR: filesDir,
      ROBOCONF_INSTANCE_PATH: '/app-vm/app',
      ip: '127.0.0.1',
      port: String(port),
      Database_size: '1',
      Database_0_name: '/db-vm/db',
      Database_0_ip: '10.1.2.3',
      Database_0_port: '15432',
    };
  });

  afterEach(async () => {
    await run('sh', [join(SCRIPTS, 'AppServer', 'scripts', 'stop.sh')], { env: environment }).catch(
      () => undefined,
    );
    rmSync(workspace, { recursive: true, force: true });
  });

  const step = (name: string) =>
    run('sh', [join(SCRIPTS, 'AppServer', 'scripts', `${name}.sh`)], { env: environment });

  it('should serve on its port after start, record its imports, and clean up after stop and undeploy', async () => {
    await step('deploy');
    expect(readFileSync(join(filesDir, 'deploy.log'), 'utf8')).to.equal(
      `deployed /app-vm/app port=${port}\n`,
    );

    await step('start');
    expect(await readBanner(port)).to.equal('AppServer /app-vm/app uses 10.1.2.3:15432\n');
    expect(readFileSync(join(filesDir, 'imports.env'), 'utf8')).to.equal(
      'Database_0_ip=10.1.2.3\nDatabase_0_name=/db-vm/db\nDatabase_0_port=15432\nDatabase_size=1\n',
    );
    const pid = Number(readFileSync(join(filesDir, 'server.pid'), 'utf8'));
    expect(isRunning(pid)).to.equal(true);

    await step('start');
    expect(Number(readFileSync(join(filesDir, 'server.pid'), 'utf8'))).to.equal(pid);

    await step('stop');
    expect(isRunning(pid)).to.equal(false);
    expect(existsSync(join(filesDir, 'server.pid'))).to.equal(false);
    expect(readFileSync(join(workspace, 'fw.log'), 'utf8')).to.equal(
      `open ${port}/tcp\nclose ${port}/tcp\n`,
    );

    await step('undeploy');
    expect(existsSync(filesDir)).to.equal(false);
  });

  it('should rewrite the received imports on update', async () => {
    await step('deploy');
    environment = {
      ...environment,
      Database_size: '2',
      Database_1_ip: '10.1.2.4',
      Database_1_port: '15433',
    };
    await step('update');
    expect(readFileSync(join(filesDir, 'imports.env'), 'utf8')).to.contain(
      'Database_1_ip=10.1.2.4\n',
    );
  });

  it('should fail start with the server log when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, resolve));
    try {
      await step('deploy');
      const failure = await step('start').then(
        () => undefined,
        (error: unknown) => error as { code: number; stderr: string },
      );
      expect(failure?.code).to.equal(1);
      expect(failure?.stderr).to.contain(`AppServer did not start listening on port ${port}:`);
      expect(failure?.stderr).to.contain('EADDRINUSE');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  const banners: [string, Record<string, string>, string][] = [
    ['Database', {}, 'Database /app-vm/app\n'],
    [
      'FrontEnd',
      { AppServer_size: '1', AppServer_0_ip: '10.9.9.9', AppServer_0_port: '18080' },
      'FrontEnd /app-vm/app uses 10.9.9.9:18080\n',
    ],
  ];
  for (const [component, imports, banner] of banners) {
    it(`should run ${component}'s deploy, start, stop and undeploy for real`, async () => {
      const env = { ...environment, ...imports };
      const componentStep = (name: string) =>
        run('sh', [join(SCRIPTS, component, 'scripts', `${name}.sh`)], { env });
      await componentStep('deploy');
      await componentStep('start');
      expect(await readBanner(port)).to.equal(banner);
      const pid = Number(readFileSync(join(filesDir, 'server.pid'), 'utf8'));
      await componentStep('stop');
      expect(isRunning(pid)).to.equal(false);
      await componentStep('undeploy');
      expect(existsSync(filesDir)).to.equal(false);
    });
  }
});
