import { join } from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgentLivenessService } from '../../src/modules/agents/agent-liveness.service';
import { AgentsService } from '../../src/modules/agents/agents.service';
import { copyFixture, MODEL_FIXTURES, tarGz, type TemplateCopy } from './support/template-archives';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database';
import { loginAsAdmin, startTestDm, type TestDm } from './support/test-dm';

interface TemplateBody {
  id: string;
  name: string;
  version: string;
  components: string[];
  instanceCount: number;
}
interface DiagnosticBody {
  severity: string;
  file?: string;
  line?: number;
  column?: number;
  text: string;
}
interface InstanceBody {
  path: string;
  parentPath: string | null;
  component: string;
  agent: string | null;
  runsOn: string | null;
  state: string;
}

const AGENT = 'db-host-1';
const THUMBPRINT = `sha256:${'c3'.repeat(32)}`;

for (const kind of DATABASE_KINDS) {
  describe(`DM templates and applications on ${kind}`, function () {
    this.timeout(120_000);
    let database: TestDatabase;
    let dm: TestDm;
    let token: string;
    let bound: TemplateCopy;

    const api = () => request(dm.server.url);
    const upload = (archive: Buffer) =>
      api()
        .post('/api/templates')
        .auth(token, { type: 'bearer' })
        .set('Content-Type', 'application/gzip')
        .send(archive);
    const post = (path: string, body: object) =>
      api().post(path).auth(token, { type: 'bearer' }).send(body);
    const get = (path: string) => api().get(path).auth(token, { type: 'bearer' });
    const countRows = async (table: string) => {
      const [row] = await dm.server.app
        .get(DataSource)
        .query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM ${table}`);
      return row.n;
    };

    before(async () => {
      database = await createTestDatabase(kind);
      dm = await startTestDm(database);
      token = await loginAsAdmin(dm.server);
      bound = await copyFixture('three-tier');
      await bound.edit('descriptor/application.properties', (text) =>
        text.replace('version = 1.0.0', 'version = 1.1.0'),
      );
      await bound.edit('instances/initial.instances', (text) =>
        text.replace('name: db-vm;', `name: db-vm;\n\tagent: ${AGENT};`),
      );
    });

    after(async () => {
      await dm?.server.close();
      await database?.drop();
      await bound?.remove();
    });

    describe('POST /api/templates', () => {
      it('should store a valid archive sent as the body and list it', async () => {
        const response = await upload(await tarGz(join(MODEL_FIXTURES, 'three-tier'))).expect(201);
        const body = response.body as TemplateBody;
        expect(body).to.include({ name: 'three-tier', version: '1.0.0', instanceCount: 6 });
        expect(body.components).to.deep.equal(['AppServer', 'Database', 'FrontEnd', 'VM']);
        const listed = (await get('/api/templates').expect(200)).body as TemplateBody[];
        expect(listed.map((t) => t.id)).to.include(body.id);
      });

      it('should answer 200 with the same template when the same archive is sent again', async () => {
        const archive = await tarGz(join(MODEL_FIXTURES, 'three-tier'));
        const first = (
          await upload(archive).expect((r) => expect(r.status).to.be.oneOf([200, 201]))
        ).body as TemplateBody;
        const again = (await upload(archive).expect(200)).body as TemplateBody;
        expect(again.id).to.equal(first.id);
      });

      it('should store an archive sent as the multipart field "archive"', async () => {
        const response = await api()
          .post('/api/templates')
          .auth(token, { type: 'bearer' })
          .attach('archive', await tarGz(bound.directory), 'three-tier.tar.gz')
          .expect(201);
        expect(response.body).to.include({ name: 'three-tier', version: '1.1.0' });
      });

      it('should refuse with 409 when another archive has the same name and version', async () => {
        const changed = await copyFixture('three-tier');
        try {
          await changed.edit('graph/Database/scripts/start.sh', (text) => `${text}\n# changed\n`);
          const response = await upload(await tarGz(changed.directory)).expect(409);
          expect((response.body as { message: string }).message).to.contain('three-tier');
        } finally {
          await changed.remove();
        }
      });

      it('should store one template when uploads of the same name and version race', async () => {
        const copy = await copyFixture('three-tier');
        try {
          await copy.edit('descriptor/application.properties', (text) =>
            text.replace('version = 1.0.0', 'version = 2.0.0'),
          );
          const same = await tarGz(copy.directory);
          await copy.edit('graph/Database/scripts/start.sh', (text) => `${text}\n# other\n`);
          const other = await tarGz(copy.directory);
          const statuses = (
            await Promise.all([upload(same), upload(same), upload(other), upload(same)])
          ).map((response) => response.status);
          expect(statuses.filter((status) => status === 201)).to.have.length(1);
          expect([...statuses].sort()).to.satisfy(
            (sorted: number[]) =>
              JSON.stringify(sorted) === JSON.stringify([200, 200, 201, 409]) ||
              JSON.stringify(sorted) === JSON.stringify([201, 409, 409, 409]),
          );
          const listed = (await get('/api/templates').expect(200)).body as TemplateBody[];
          expect(listed.filter((t) => t.version === '2.0.0')).to.have.length(1);
        } finally {
          await copy.remove();
        }
      });

      it('should refuse with 422 and every file:line:column diagnostic, storing nothing, when invalid', async () => {
        const before = await countRows('templates');
        const response = await upload(
          await tarGz(join(MODEL_FIXTURES, 'broken', 'syntax-errors')),
        ).expect(422);
        const diagnostics = (response.body as { details: { diagnostics: DiagnosticBody[] } })
          .details.diagnostics;
        const errors = diagnostics.filter((d) => d.severity === 'error');
        expect(errors.length).to.be.greaterThan(1);
        for (const error of errors) {
          expect(error.text).to.match(/^(graph|instances)\/[\w.-]+:\d+:\d+: /);
          expect(error.line).to.be.a('number');
        }
        const files = new Set(errors.map((error) => error.file));
        expect([...files].sort()).to.deep.equal([
          'graph/main.graph',
          'instances/initial.instances',
        ]);
        expect(await countRows('templates')).to.equal(before);
      });

      it('should refuse with 400 when the body is not an archive', async () => {
        await upload(Buffer.from('not an archive at all')).expect(400);
      });
    });

    describe('applications', () => {
      it('should create every instance, parents first, with the root agent from the instances file', async () => {
        const created = await post('/api/applications', {
          name: 'shop',
          template: 'three-tier',
          templateVersion: '1.1.0',
        }).expect(201);
        expect(created.body).to.include({ name: 'shop', instanceCount: 6 });
        const instances = (await get('/api/applications/shop/instances').expect(200))
          .body as InstanceBody[];
        expect(instances.map((i) => [i.path, i.parentPath])).to.deep.equal([
          ['/app-vm', null],
          ['/app-vm/app', '/app-vm'],
          ['/db-vm', null],
          ['/db-vm/db', '/db-vm'],
          ['/web-vm', null],
          ['/web-vm/web', '/web-vm'],
        ]);
        const db = instances.find((i) => i.path === '/db-vm/db');
        expect(db).to.include({ component: 'Database', agent: null, runsOn: AGENT });
        expect(instances.find((i) => i.path === '/db-vm')?.agent).to.equal(AGENT);
      });

      it('should refuse a taken name with 409 and an unknown template with 404, storing nothing', async () => {
        await post('/api/applications', { name: 'twin', template: 'three-tier' }).expect(201);
        const instancesBefore = await countRows('instances');
        await post('/api/applications', { name: 'twin', template: 'three-tier' }).expect(409);
        await post('/api/applications', { name: 'ghost', template: 'no-such' }).expect(404);
        expect(await countRows('instances')).to.equal(instancesBefore);
        await get('/api/applications/ghost').expect(404);
      });

      it('should bind a root instance to an agent and show its subtree unknown when the agent is lost', async () => {
        await post('/api/applications', { name: 'bindme', template: 'three-tier' }).expect(201);
        const agents = dm.server.app.get(AgentsService);
        await agents.recordEnrollment({ name: 'app-host', thumbprint: THUMBPRINT, hostFacts: {} });
        await post('/api/agents/app-host/accept', {}).expect(200);
        await post('/api/applications/bindme/instances/bind-agent', {
          path: '/app-vm',
          agent: 'app-host',
        }).expect(204);
        await post('/api/applications/bindme/instances/bind-agent', {
          path: '/app-vm/app',
          agent: 'app-host',
        }).expect(409);
        await post('/api/applications/bindme/instances/bind-agent', {
          path: '/web-vm',
          agent: 'nobody',
        }).expect(404);
        await dm.server.app.get(AgentLivenessService).markLost(new Date(Date.now() + 3_600_000));
        const instances = (await get('/api/applications/bindme/instances').expect(200))
          .body as InstanceBody[];
        const states = Object.fromEntries(instances.map((i) => [i.path, i.state]));
        expect(states).to.include({
          '/app-vm': 'unknown',
          '/app-vm/app': 'unknown',
          '/web-vm': 'not_deployed',
        });
      });

      it('should add instances where the graph allows and refuse them elsewhere', async () => {
        await post('/api/applications', { name: 'grow', template: 'three-tier' }).expect(201);
        await dm.server.app.get(AgentsService).recordEnrollment({
          name: 'grow-host',
          thumbprint: `sha256:${'d4'.repeat(32)}`,
          hostFacts: {},
        });
        const added = await post('/api/applications/grow/instances', {
          parentPath: '/app-vm',
          name: 'app-2',
          component: 'AppServer',
        }).expect(201);
        expect(added.body).to.include({ path: '/app-vm/app-2', parentPath: '/app-vm' });
        await post('/api/applications/grow/instances', {
          name: 'extra-vm',
          component: 'VM',
          agent: 'grow-host',
        }).expect(201);
        const refusals: Array<[object, number]> = [
          [{ parentPath: '/app-vm', name: 'vm-in-vm', component: 'VM' }, 400],
          [{ parentPath: '/app-vm', name: 'x', component: 'Nope' }, 400],
          [{ name: 'rootless', component: 'AppServer' }, 400],
          [{ parentPath: '/app-vm', name: 'a/b', component: 'AppServer' }, 400],
          [{ parentPath: '/nowhere', name: 'x', component: 'AppServer' }, 404],
          [{ parentPath: '/app-vm', name: 'app-2', component: 'AppServer' }, 409],
        ];
        for (const [body, status] of refusals) {
          const response = await post('/api/applications/grow/instances', body);
          expect(response.status, JSON.stringify(body)).to.equal(status);
        }
        const instances = (await get('/api/applications/grow/instances').expect(200))
          .body as InstanceBody[];
        expect(instances.map((i) => i.path)).to.include.members(['/app-vm/app-2', '/extra-vm']);
        expect(instances.find((i) => i.path === '/extra-vm')?.agent).to.equal('grow-host');
        expect(instances).to.have.length(8);
      });

      it('should remove an undeployed subtree and refuse when a descendant is deployed', async () => {
        await post('/api/applications', { name: 'shrink', template: 'three-tier' }).expect(201);
        await dm.server.app.get(DataSource).query(
          `UPDATE instances SET actual_state = 'deployed_stopped' FROM applications a
             WHERE a.id = instances.application_id AND a.name = 'shrink' AND instances.path = '/db-vm/db'`,
        );
        const remove = (path: string) =>
          api()
            .delete(`/api/applications/shrink/instances?path=${encodeURIComponent(path)}`)
            .auth(token, { type: 'bearer' });
        const refused = await remove('/db-vm').expect(409);
        expect((refused.body as { message: string }).message).to.contain('/db-vm/db');
        await remove('/web-vm').expect(204);
        await remove('/web-vm').expect(404);
        const paths = (
          (await get('/api/applications/shrink/instances').expect(200)).body as InstanceBody[]
        ).map((i) => i.path);
        expect(paths).to.deep.equal(['/app-vm', '/app-vm/app', '/db-vm', '/db-vm/db']);
      });

      it('should bind an external prefix to an application exporting it, and unbind it', async () => {
        const exporter = await copyFixture('three-tier');
        const importer = await copyFixture('three-tier');
        try {
          await exporter.edit('descriptor/application.properties', (text) =>
            text.replace('name = three-tier', 'name = shop-tier\nexports-prefix = Shop'),
          );
          await importer.edit('descriptor/application.properties', (text) =>
            text.replace('name = three-tier', 'name = portal'),
          );
          await importer.edit('graph/tiers.graph', (text) =>
            text.replace('imports: AppServer.*;', 'imports: AppServer.*, external Shop.ip;'),
          );
          await upload(await tarGz(exporter.directory)).expect(201);
          await upload(await tarGz(importer.directory)).expect(201);
        } finally {
          await exporter.remove();
          await importer.remove();
        }
        await post('/api/applications', { name: 'shop-prod', template: 'shop-tier' }).expect(201);
        await post('/api/applications', { name: 'plain', template: 'three-tier' }).expect(201);
        await post('/api/applications', { name: 'web-portal', template: 'portal' }).expect(201);
        const bound = await post('/api/applications/web-portal/bindings', {
          prefix: 'Shop',
          application: 'shop-prod',
        }).expect(200);
        expect(bound.body).to.deep.equal({ Shop: ['shop-prod'] });
        await post('/api/applications/web-portal/bindings', {
          prefix: 'Shop',
          application: 'shop-prod',
        }).expect(200);
        const shown = (await get('/api/applications/web-portal').expect(200)).body as {
          bindings: unknown;
        };
        expect(shown.bindings).to.deep.equal({ Shop: ['shop-prod'] });
        await post('/api/applications/web-portal/bindings', {
          prefix: 'Shop',
          application: 'plain',
        }).expect(400);
        await post('/api/applications/web-portal/bindings', {
          prefix: 'Mail',
          application: 'shop-prod',
        }).expect(400);
        await post('/api/applications/web-portal/bindings', {
          prefix: 'Shop',
          application: 'missing-app',
        }).expect(404);
        const unbound = await api()
          .delete('/api/applications/web-portal/bindings?prefix=Shop&application=shop-prod')
          .auth(token, { type: 'bearer' })
          .expect(200);
        expect(unbound.body).to.deep.equal({});
        const audit = (await get('/api/audit?target=application:web-portal').expect(200))
          .body as Array<{ action: string }>;
        expect(audit.map((entry) => entry.action).slice(0, 3)).to.deep.equal([
          'application.unbind',
          'application.bind',
          'application.bind',
        ]);
      });

      it('should delete an undeployed application and refuse one with deployed instances', async () => {
        await post('/api/applications', { name: 'doomed', template: 'three-tier' }).expect(201);
        await post('/api/applications', { name: 'running', template: 'three-tier' }).expect(201);
        await dm.server.app.get(DataSource).query(
          `UPDATE instances SET actual_state = 'deployed_started' FROM applications a
             WHERE a.id = instances.application_id AND a.name = 'running' AND instances.path = '/db-vm'`,
        );
        await api().delete('/api/applications/doomed').auth(token, { type: 'bearer' }).expect(204);
        await get('/api/applications/doomed').expect(404);
        const refused = await api()
          .delete('/api/applications/running')
          .auth(token, { type: 'bearer' })
          .expect(409);
        expect((refused.body as { message: string }).message).to.contain('/db-vm');
        const audit = (await get('/api/audit?target=application:doomed').expect(200))
          .body as Array<{
          action: string;
        }>;
        expect(audit.map((entry) => entry.action)).to.deep.equal([
          'application.delete',
          'application.create',
        ]);
      });
    });
  });
}
