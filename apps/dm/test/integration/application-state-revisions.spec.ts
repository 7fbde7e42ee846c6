import { join } from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApplicationStateRepository } from '../../src/modules/deployments/application-state.repository';
import type { ApplicationState } from '../../src/modules/deployments/application-state';
import { TransactionRunner } from '../../src/persistence/transaction-runner';
import { MODEL_FIXTURES, tarGz } from './support/template-archives';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database';
import { loginAsAdmin, startTestDm, type TestDm } from './support/test-dm';

/** Thrown to roll a transaction back on purpose. */
class RolledBack extends Error {}

for (const kind of DATABASE_KINDS) {
  describe(`DM application states kept across reconciler transactions on ${kind}`, function () {
    this.timeout(120_000);
    let database: TestDatabase;
    let dm: TestDm;
    let token: string;
    let applicationId: string;

    const api = () => request(dm.server.url);
    const sql = <T = unknown>(text: string, values: unknown[] = []): Promise<T> =>
      dm.server.app.get(DataSource).query<T>(text, values);
    const load = (): Promise<ApplicationState> => {
      const states = dm.server.app.get(ApplicationStateRepository);
      return dm.server.app
        .get(TransactionRunner)
        .run((manager) => states.load(applicationId, manager));
    };
    const stateOf = (state: ApplicationState, path: string) => state.snapshot.runtime[path]?.state;

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
      const rows = await sql<Array<{ id: string }>>(
        `SELECT id FROM applications WHERE name = 'shop'`,
      );
      applicationId = rows[0]?.id ?? '';
    });

    after(async () => {
      await dm?.server.close();
      await database?.drop();
    });

    it('should see an instance state another writer changed after the state was kept', async () => {
      expect(stateOf(await load(), '/db-vm/db')).to.equal('not_deployed');

      await sql(`UPDATE instances SET actual_state = 'deployed_stopped' WHERE path = '/db-vm/db'`);

      expect(stateOf(await load(), '/db-vm/db')).to.equal('deployed_stopped');
      await sql(`UPDATE instances SET actual_state = 'not_deployed' WHERE path = '/db-vm/db'`);
    });

    it('should see an instance added and one removed through the API', async () => {
      await load();
      await api()
        .post('/api/applications/shop/instances')
        .auth(token, { type: 'bearer' })
        .send({ parentPath: '/app-vm', name: 'app-2', component: 'AppServer' })
        .expect(201);

      const grown = await load();
      expect(grown.instances.map((instance) => instance.path)).to.include('/app-vm/app-2');
      expect(stateOf(grown, '/app-vm/app-2')).to.equal('not_deployed');

      await api()
        .delete('/api/applications/shop/instances?path=%2Fapp-vm%2Fapp-2')
        .auth(token, { type: 'bearer' })
        .expect(204);
      const shrunk = await load();
      expect(shrunk.instances.map((instance) => instance.path)).not.to.include('/app-vm/app-2');
    });

    it("should export the new address of a root's agent once the agent reports it", async () => {
      await sql(
        `INSERT INTO agents (name, thumbprint, state, host_facts)
         VALUES ('db-host', $1, 'trusted', '{"addresses": "10.9.0.1"}')`,
        [`sha256:${'a'.repeat(64)}`],
      );
      await api()
        .post('/api/applications/shop/instances/bind-agent')
        .auth(token, { type: 'bearer' })
        .send({ path: '/db-vm', agent: 'db-host' })
        .expect(204);
      expect((await load()).snapshot.exports['/db-vm/db']?.['Database.ip']).to.equal('10.9.0.1');

      await sql(
        `UPDATE agents SET host_facts = '{"addresses": "10.9.0.2"}' WHERE name = 'db-host'`,
      );

      expect((await load()).snapshot.exports['/db-vm/db']?.['Database.ip']).to.equal('10.9.0.2');
    });

    it('should not keep what a rolled-back transaction saved', async () => {
      const states = dm.server.app.get(ApplicationStateRepository);
      const rolledBack = dm.server.app.get(TransactionRunner).run(async (manager) => {
        const state = await states.load(applicationId, manager);
        const runtime = { ...state.snapshot.runtime };
        runtime['/db-vm/db'] = { state: 'deployed_started', desiredState: 'deployed_started' };
        await states.save({ ...state, snapshot: { ...state.snapshot, runtime } }, manager);
        throw new RolledBack();
      });
      const outcome = await rolledBack.then(
        () => 'committed',
        (error: unknown) => (error instanceof RolledBack ? 'rolled back' : error),
      );
      expect(outcome).to.equal('rolled back');

      expect(stateOf(await load(), '/db-vm/db')).to.equal('not_deployed');
    });
  });
}
