import { expect } from 'chai';
import request from 'supertest';
import { AgentsService } from '../../src/modules/agents/agents.service';
import { uploadFixture } from './support/template-archives';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { loginAsAdmin, startTestDm, type TestDm } from './support/test-dm';

interface InstanceBody {
  path: string;
  agent: string | null;
}

describe('POST /api/applications/:name/instances/bind-agents', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let dm: TestDm;
  let token: string;

  const api = () => request(dm.server.url);
  const post = (path: string, body: object) =>
    api().post(path).auth(token, { type: 'bearer' }).send(body);
  const agentsOf = async (application: string) => {
    const response = await api()
      .get(`/api/applications/${application}/instances`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    const instances = response.body as InstanceBody[];
    return Object.fromEntries(instances.map((instance) => [instance.path, instance.agent]));
  };
  const trustedAgent = async (name: string, hex: string) => {
    await dm.server.app
      .get(AgentsService)
      .recordEnrollment({ name, thumbprint: `sha256:${hex.repeat(32)}`, hostFacts: {} });
    await post(`/api/agents/${name}/accept`, {}).expect(200);
  };

  before(async () => {
    database = await createTestDatabase('postgresql');
    dm = await startTestDm(database);
    token = await loginAsAdmin(dm.server);
    await uploadFixture(dm.server.url, token, 'three-tier');
    await trustedAgent('bulk-db', 'a1');
    await trustedAgent('bulk-app', 'a2');
  });

  after(async () => {
    await dm?.server.close();
    await database?.drop();
  });

  it('should bind every root of the list and audit each one', async () => {
    await post('/api/applications', { name: 'bulk', template: 'three-tier' }).expect(201);

    await post('/api/applications/bulk/instances/bind-agents', {
      bindings: [
        { path: '/db-vm', agent: 'bulk-db' },
        { path: '/app-vm', agent: 'bulk-app' },
      ],
    }).expect(204);

    expect(await agentsOf('bulk')).to.include({ '/db-vm': 'bulk-db', '/app-vm': 'bulk-app' });
    const audit = await api()
      .get(`/api/audit?target=${encodeURIComponent('instance:bulk/app-vm')}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(audit.body).to.have.length(1);
    expect((audit.body as Array<{ action: string }>)[0]?.action).to.equal('instance.bind-agent');
  });

  const refusals = [
    { status: 409, reason: 'one of them is not a root', path: '/app-vm/app', agent: 'bulk-app' },
    { status: 404, reason: 'one agent is unknown', path: '/web-vm', agent: 'nobody' },
  ];
  refusals.forEach(({ status, reason, path, agent }, index) => {
    it(`should bind none and answer ${status} naming it when ${reason}`, async () => {
      const application = `bulk-refused-${index}`;
      await post('/api/applications', { name: application, template: 'three-tier' }).expect(201);

      const response = await post(`/api/applications/${application}/instances/bind-agents`, {
        bindings: [
          { path: '/db-vm', agent: 'bulk-db' },
          { path, agent },
        ],
      }).expect(status);

      expect(JSON.stringify(response.body)).to.contain(status === 404 ? agent : path);
      expect(await agentsOf(application)).to.include({ '/db-vm': null, [path]: null });
    });
  });

  it('should answer 400 naming the field when the list is empty', async () => {
    const response = await post('/api/applications/bulk/instances/bind-agents', {
      bindings: [],
    }).expect(400);

    expect(JSON.stringify(response.body)).to.contain('bindings');
  });
});
