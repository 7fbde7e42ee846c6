import { expect } from 'chai';
import { join } from 'node:path';
import { AgentsService } from '@flotilla/dm';
import { CliWorld, MODEL_FIXTURES } from './support/cli-world';

const THUMBPRINT = `sha256:${'c3'.repeat(32)}`;

interface JsonAgent {
  name: string;
  state: string;
  thumbprint: string;
}
interface JsonInstance {
  path: string;
  state: string;
}

describe('flotilla agent, instance, deploy, logs and audit against a real DM', function () {
  this.timeout(120_000);
  let sut: CliWorld;

  before(async () => {
    sut = new CliWorld();
    await sut.start();
    expect((await sut.login()).code).to.equal(0);
    const created = await sut.cli([
      'app',
      'create',
      'shop',
      '--template',
      join(MODEL_FIXTURES, 'three-tier'),
    ]);
    expect(created.code, created.stderr).to.equal(0);
    await sut.server.app.get(AgentsService).recordEnrollment({
      name: 'db-host',
      thumbprint: THUMBPRINT,
      hostFacts: { os: 'debian', cpus: 2 },
    });
  });

  after(async () => {
    await sut.stop();
  });

  describe('agent', () => {
    it('should list a pending agent with its full thumbprint and host facts', async () => {
      const run = await sut.cli(['agent', 'ls']);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.match(/^NAME +STATE +THUMBPRINT +LAST SEEN +HOST\n/);
      expect(run.stdout).to.contain(`db-host  pending  ${THUMBPRINT}`);
      expect(run.stdout).to.contain('os=debian cpus=2');
    });

    it('should accept the pending agent and show it trusted in the JSON list', async () => {
      const run = await sut.cli(['agent', 'accept', 'db-host']);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.equal('Agent db-host is now trusted\n');
      const agents = JSON.parse((await sut.cli(['agent', 'ls', '--json'])).stdout) as JsonAgent[];
      expect(
        agents.map(({ name, state, thumbprint }) => ({ name, state, thumbprint })),
      ).to.deep.equal([{ name: 'db-host', state: 'trusted', thumbprint: THUMBPRINT }]);
    });

    it('should show the DM conflict when the agent is not pending any more', async () => {
      const run = await sut.cli(['agent', 'reject', 'db-host']);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(/^flotilla: POST \/api\/agents\/db-host\/reject failed: 409 /);
    });

    it('should refuse to revoke without --yes when there is no terminal to confirm on', async () => {
      const run = await sut.cli(['agent', 'revoke', 'db-host']);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('pass --yes');
      const agents = JSON.parse((await sut.cli(['agent', 'ls', '--json'])).stdout) as JsonAgent[];
      expect(agents[0]?.state).to.equal('trusted');
    });
  });

  describe('instance', () => {
    it('should show the instance tree with children indented under their parents', async () => {
      const run = await sut.cli(['instance', 'ls', 'shop']);
      expect(run.code, run.stderr).to.equal(0);
      const lines = run.stdout.split('\n');
      expect(lines[0]).to.match(/^INSTANCE +COMPONENT +STATE +DESIRED +AGENT +PORTS +FAILURE$/);
      expect(run.stdout).to.match(/\n {2}\S+ +\S+ +not_deployed +not_deployed /);
      const instances = JSON.parse(
        (await sut.cli(['instance', 'ls', 'shop', '--json'])).stdout,
      ) as JsonInstance[];
      expect(instances).to.have.length(6);
    });

    it('should add a child instance and remove it again', async () => {
      const instances = JSON.parse(
        (await sut.cli(['instance', 'ls', 'shop', '--json'])).stdout,
      ) as (JsonInstance & { component: string; parentPath: string | null })[];
      const child = instances.find((instance) => instance.parentPath !== null);
      expect(child, 'the fixture has a child instance').to.not.equal(undefined);
      const parent = child?.parentPath ?? '';
      const added = await sut.cli([
        'instance',
        'add',
        'shop',
        parent,
        child?.component ?? '',
        'extra',
      ]);
      expect(added.code, added.stderr).to.equal(0);
      expect(added.stdout).to.equal(`Added ${parent}/extra (${child?.component})\n`);
      const removed = await sut.cli(['instance', 'rm', 'shop', `${parent}/extra`]);
      expect(removed.code, removed.stderr).to.equal(0);
      const after = JSON.parse(
        (await sut.cli(['instance', 'ls', 'shop', '--json'])).stdout,
      ) as JsonInstance[];
      expect(after.map((instance) => instance.path)).to.not.include(`${parent}/extra`);
    });
  });

  describe('instance bind and app rm', () => {
    it('should bind a root instance to an agent, show it in the tree, and remove the application', async () => {
      const created = await sut.cli([
        'app',
        'create',
        'lab',
        '--template',
        join(MODEL_FIXTURES, 'three-tier'),
      ]);
      expect(created.code, created.stderr).to.equal(0);
      const bound = await sut.cli(['instance', 'bind', 'lab', '/db-vm', 'db-host']);
      expect(bound.code, bound.stderr).to.equal(0);
      expect(bound.stdout).to.equal('lab /db-vm now runs on agent db-host\n');
      const tree = await sut.cli(['instance', 'ls', 'lab']);
      expect(tree.stdout).to.match(/\ndb-vm +VM +not_deployed +not_deployed +db-host/);
      const removed = await sut.cli(['app', 'rm', 'lab']);
      expect(removed.code, removed.stderr).to.equal(0);
      expect(removed.stdout).to.equal('Removed application lab\n');
      const apps = JSON.parse((await sut.cli(['app', 'ls', '--json'])).stdout) as {
        name: string;
      }[];
      expect(apps.map((app) => app.name)).to.deep.equal(['shop']);
    });
  });

  describe('deploy', () => {
    it('should return at once when every instance already is in the target state', async () => {
      const run = await sut.cli(['undeploy', 'shop']);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.match(
        /\[#+\] 6\/6 not_deployed\nshop: every instance is not_deployed\n$/,
      );
    });

    it('should fail clearly, naming the unbound root instance, when no agent runs the application', async () => {
      const run = await sut.cli(['start', 'shop']);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(
        /runs on no agent, so nothing can deploy it: flotilla instance bind shop \/\S+ AGENT/,
      );
    });

    it('should only send the request with --no-wait', async () => {
      const run = await sut.cli(['stop', 'shop', '--no-wait', '--json']);
      expect(run.code, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.have.property('queuedJobs');
    });
  });

  describe('app rm', () => {
    it("should show the DM's refusal to remove an application with deployed instances", async () => {
      const run = await sut.cli(['app', 'rm', 'shop']);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(
        /^flotilla: DELETE \/api\/applications\/shop failed: 409 CONFLICT: /,
      );
    });
  });

  describe('logs and audit', () => {
    it('should say when no step has run on an instance', async () => {
      const run = await sut.cli(['logs', 'shop', '/db-vm']);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.equal('No step has run on this instance yet\n');
    });

    it('should show the deploy step queued for the instance that waits for an agent', async () => {
      const run = await sut.cli(['logs', 'shop', '/db-vm/db']);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.equal('== deploy (attempt 1) queued, no exit code, agent -, sent -\n');
    });

    it('should show the operator accepting the agent in the audit log', async () => {
      const table = await sut.cli(['audit', '--action', 'agent.accept']);
      expect(table.stdout).to.match(/operator:admin +agent\.accept +agent:db-host/);
      const entries = JSON.parse((await sut.cli(['audit', '--json'])).stdout) as {
        action: string;
      }[];
      expect(entries.map((entry) => entry.action)).to.include.members([
        'agent.accept',
        'agent.enroll',
      ]);
    });
  });

  it('should print help for every command', async () => {
    for (const args of [
      ['agent', 'ls'],
      ['app', 'create'],
      ['instance', 'add'],
      ['deploy'],
      ['logs'],
      ['audit'],
      ['login'],
    ]) {
      const run = await sut.cli([...args, '--help']);
      expect(run.code, args.join(' ')).to.equal(0);
      expect(run.stdout, args.join(' ')).to.match(/^Usage: flotilla /);
    }
  });
});
