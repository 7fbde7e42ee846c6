import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database';
import { loginAsAdmin, startTestDm } from './support/test-dm';

const OWNER_READ_WRITE = 0o600;

for (const kind of DATABASE_KINDS) {
  describe(`DM first admin on ${kind}`, function () {
    this.timeout(120_000);
    let database: TestDatabase;

    before(async () => {
      database = await createTestDatabase(kind);
    });

    after(async () => {
      await database?.drop();
    });

    it('should generate, print once and write a 0600 password file when none is configured', async () => {
      const first = await startTestDm(database, { FLOTILLA_ADMIN_PASSWORD: undefined });
      let password: string;
      try {
        const file = join(database.dataDir, 'admin-password');
        expect((await stat(file)).mode & 0o777).to.equal(OWNER_READ_WRITE);
        password = (await readFile(file, 'utf8')).trim();
        expect(password).to.have.length.greaterThan(16);
        expect(first.output.join('')).to.contain(password);
        await loginAsAdmin(first.server, password);
      } finally {
        await first.server.close();
      }
      const second = await startTestDm(database, { FLOTILLA_ADMIN_PASSWORD: undefined });
      try {
        expect(second.output).to.deep.equal([]);
        expect((await readFile(join(database.dataDir, 'admin-password'), 'utf8')).trim()).to.equal(
          password,
        );
        await loginAsAdmin(second.server, password);
        const audit = await request(second.server.url)
          .get('/api/audit?action=operator.create')
          .auth(await loginAsAdmin(second.server, password), { type: 'bearer' })
          .expect(200);
        expect(audit.body).to.have.length(1);
      } finally {
        await second.server.close();
      }
    });
  });
}
