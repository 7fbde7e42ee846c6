import { join } from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MODEL_FIXTURES, tarGz } from './support/template-archives';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database';
import { loginAsAdmin, startTestDm, type TestDm } from './support/test-dm';

const FINGERPRINT = `SHA256:${'Q'.repeat(43)}`;
const PASSWORD = 'never-shown pass 42';

interface TargetBody {
  path: string;
  target: string;
  hostKeyFingerprint: string;
  credential: string;
  firewall: string;
  proxies: string[];
  servingProxy: string | null;
}

for (const kind of DATABASE_KINDS) {
  describe(`DM agentless targets on ${kind}`, function () {
    this.timeout(120_000);
    let database: TestDatabase;
    let dm: TestDm;
    let token: string;

    const api = () => request(dm.server.url);
    const declare = (body: object) =>
      api()
        .post('/api/applications/shop/agentless-targets')
        .auth(token, { type: 'bearer' })
        .send(body);
    const list = async () =>
      (
        await api()
          .get('/api/applications/shop/agentless-targets')
          .auth(token, { type: 'bearer' })
          .expect(200)
      ).body as TargetBody[];

    before(async () => {
      database = await createTestDatabase(kind);
      dm = await startTestDm(database);
      token = await loginAsAdmin(dm.server);
      await api()
        .post('/api/templates')
        .auth(token, { type: 'bearer' })
        .set('Content-Type', 'application/gzip')
        .send(await tarGz(join(MODEL_FIXTURES, 'three-tier')))
        .expect(201);
      await api()
        .post('/api/applications')
        .auth(token, { type: 'bearer' })
        .send({ name: 'shop', template: 'three-tier' })
        .expect(201);
    });

    after(async () => {
      await dm?.server.close();
      await database?.drop();
    });

    it('should declare a root agentless and list it without ever showing or storing its password', async () => {
      await declare({
        path: '/db-vm',
        host: '10.0.0.7',
        user: 'deploy',
        hostKeyFingerprint: FINGERPRINT,
        password: PASSWORD,
        firewall: 'nft-managed',
      }).expect(204);

      const listed = await list();
      expect(listed).to.deep.equal([
        {
          path: '/db-vm',
          target: 'deploy@10.0.0.7:22',
          hostKeyFingerprint: FINGERPRINT,
          credential: 'password',
          keyName: null,
          useSudo: false,
          firewall: 'nft-managed',
          proxies: [],
          servingProxy: null,
        },
      ]);
      const query = (sql: string) => dm.server.app.get(DataSource).query<unknown[]>(sql);
      const stored = JSON.stringify(await query('SELECT * FROM agentless_targets'));
      const audit = JSON.stringify(await query('SELECT * FROM audit_log'));
      expect(stored).not.to.contain(PASSWORD);
      expect(audit).to.contain('instance.declare-agentless');
      expect(audit).not.to.contain(PASSWORD);
    });

    it('should name the field when the pinned host key is not a SHA-256 fingerprint', async () => {
      const response = await declare({
        path: '/app-vm',
        host: '10.0.0.8',
        user: 'deploy',
        hostKeyFingerprint: 'MD5:12:34',
      }).expect(400);

      expect(JSON.stringify(response.body)).to.contain('hostKeyFingerprint');
    });

    it('should refuse a child instance and an unknown proxy', async () => {
      const target = { host: '10.0.0.8', user: 'deploy', hostKeyFingerprint: FINGERPRINT };

      const child = await declare({ ...target, path: '/db-vm/db' }).expect(400);
      const proxy = await declare({
        ...target,
        path: '/app-vm',
        proxies: ['no-such-proxy'],
      }).expect(404);

      expect(JSON.stringify(child.body)).to.match(/root/);
      expect((proxy.body as { message: string }).message).to.contain('no-such-proxy');
    });

    it('should make a root an agent root again when its declaration is removed', async () => {
      await declare({
        path: '/web-vm',
        host: '10.0.0.9',
        user: 'deploy',
        hostKeyFingerprint: FINGERPRINT,
      }).expect(204);

      await api()
        .delete('/api/applications/shop/agentless-targets')
        .query({ path: '/web-vm' })
        .auth(token, { type: 'bearer' })
        .expect(204);

      expect((await list()).map((target) => target.path)).to.deep.equal(['/db-vm']);
    });
  });
}
