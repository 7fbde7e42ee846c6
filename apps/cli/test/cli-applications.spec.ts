import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CliWorld, MODEL_FIXTURES } from './support/cli-world';

const THREE_TIER = join(MODEL_FIXTURES, 'three-tier');

/** A loopback port nothing listens on: one the system just handed out and got back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('flotilla login, app and template against a real DM', function () {
  this.timeout(120_000);
  let sut: CliWorld;

  before(async () => {
    sut = new CliWorld();
    await sut.start();
  });

  after(async () => {
    await sut.stop();
  });

  it('should tell the operator to log in when no credentials are stored', async () => {
    const run = await sut.cli(['app', 'ls']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/^flotilla: Not logged in .*run flotilla login\n$/);
  });

  it('should store the URL and an API token in a 0600 credentials file when login succeeds', async () => {
    const run = await sut.login();
    expect(run.code, run.stderr).to.equal(0);
    const path = join(sut.home, '.config', 'flotilla', 'credentials.json');
    expect((await stat(path)).mode & 0o777).to.equal(0o600);
    const stored = JSON.parse(await readFile(path, 'utf8')) as { url: string; token: string };
    expect(stored.url).to.equal(sut.server.url);
    const response = await fetch(`${sut.server.url}/api/agents`, {
      headers: { authorization: `Bearer ${stored.token}` },
    });
    expect(response.status).to.equal(200);
  });

  it('should refuse a wrong password with the DM message and store nothing new', async () => {
    const run = await sut.cli(
      ['login', '--url', sut.server.url, '--password-stdin'],
      'not the password\n',
    );
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('POST /api/auth/login');
  });

  it('should say "run flotilla login" when the DM refuses the token', async () => {
    const run = await sut.cli(['app', 'ls'], '', { FLOTILLA_TOKEN: 'revoked-or-wrong' });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('401): run flotilla login');
  });

  it('should name the URL when the DM is unreachable', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await sut.cli(['app', 'ls'], '', { FLOTILLA_URL: url });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain(`Cannot reach the DM at ${url} (ECONNREFUSED)`);
  });

  it('should pack the three-tier directory and create the application', async () => {
    const run = await sut.cli(['app', 'create', 'shop', '--template', THREE_TIER]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.equal(
      'Created application shop from template three-tier 1.0.0 (6 instances)\n',
    );
  });

  it('should list the applications and templates as tables and as parseable JSON', async () => {
    const table = await sut.cli(['app', 'ls']);
    expect(table.stdout.split('\n')[0]).to.match(/^NAME +TEMPLATE +VERSION +INSTANCES +CREATED$/);
    expect(table.stdout).to.match(/\nshop +three-tier +1\.0\.0 +6 /);
    const json = JSON.parse((await sut.cli(['app', 'ls', '--json'])).stdout) as { name: string }[];
    expect(json.map((app) => app.name)).to.deep.equal(['shop']);
    const templates = JSON.parse((await sut.cli(['template', 'ls', '--json'])).stdout) as {
      name: string;
      components: string[];
    }[];
    expect(templates.map((template) => template.name)).to.deep.equal(['three-tier']);
  });

  it('should print every diagnostic as file:line:column and exit 1 when the template is refused', async () => {
    const run = await sut.cli([
      'app',
      'create',
      'broken',
      '--template',
      join(MODEL_FIXTURES, 'broken', 'cycles'),
    ]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.contain(
      'graph/main.graph:16:1: cycle in extends between components: Base -> Derived -> Base\n',
    );
    expect(run.stderr).to.match(/^flotilla: The DM refused the template .*cycles/);
  });

  it('should upload a template given as an archive file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'flotilla-cli-archive-'));
    try {
      const archive = join(directory, 'not-an-archive.zip');
      await writeFile(archive, 'plain text');
      const run = await sut.cli(['app', 'create', 'other', '--template', archive]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('POST /api/templates failed: 400');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('should revoke the token and remove the credentials file on logout', async () => {
    const path = join(sut.home, '.config', 'flotilla', 'credentials.json');
    const { token } = JSON.parse(await readFile(path, 'utf8')) as { token: string };
    const run = await sut.cli(['logout']);
    expect(run.code, run.stderr).to.equal(0);
    const response = await fetch(`${sut.server.url}/api/agents`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).to.equal(401);
    expect((await sut.cli(['app', 'ls'])).stderr).to.contain('Not logged in');
  });
});
