import { createHash } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database';
import { loginAsAdmin, startTestDm, TEST_ADMIN_PASSWORD, type TestDm } from './support/test-dm';

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

const PUBLIC_ROUTES = new Set(['post /api/auth/login', 'get /api/health']);

/** Moves a session's expiry into the past, through the DM's own database connection. */
async function expireSession(dm: TestDm, token: string): Promise<void> {
  await dm.server.app
    .get(DataSource)
    .query(
      `UPDATE auth_tokens SET expires_at = now() - interval '1 minute' WHERE token_hash = $1`,
      [createHash('sha256').update(token, 'utf8').digest('hex')],
    );
}

for (const kind of DATABASE_KINDS) {
  describe(`DM auth on ${kind}`, function () {
    this.timeout(120_000);
    let database: TestDatabase;
    let dm: TestDm;
    let url: string;

    before(async () => {
      database = await createTestDatabase(kind);
      dm = await startTestDm(database);
      url = dm.server.url;
    });

    after(async () => {
      await dm?.server.close();
      await database?.drop();
    });

    describe('POST /api/auth/login', () => {
      it('should answer a token and an HttpOnly SameSite=Strict cookie when the password is right', async () => {
        const response = await request(url)
          .post('/api/auth/login')
          .send({ username: 'admin', password: TEST_ADMIN_PASSWORD })
          .expect(200);
        expect(response.body).to.include({ username: 'admin' });
        expect((response.body as { token: string }).token).to.match(/^fls_/);
        const cookie = String(response.headers['set-cookie']);
        expect(cookie).to.match(/^flotilla_session=fls_/);
        expect(cookie).to.contain('HttpOnly').and.contain('SameSite=Strict');
      });

      it('should refuse with 401 and audit the failure when the password is wrong', async () => {
        const response = await request(url)
          .post('/api/auth/login')
          .send({ username: 'admin', password: 'wrong password' })
          .expect(401);
        expect(response.body).to.include({ code: 'UNAUTHENTICATED' });
        const token = await loginAsAdmin(dm.server);
        const audit = await request(url)
          .get('/api/audit?action=auth.login.failed')
          .auth(token, { type: 'bearer' })
          .expect(200);
        expect(audit.body).to.have.length.greaterThan(0);
        expect((audit.body as Array<{ target: string }>)[0].target).to.equal('operator:admin');
      });

      it('should refuse with 400 naming the field when the body lacks the password', async () => {
        const response = await request(url)
          .post('/api/auth/login')
          .send({ username: 'admin' })
          .expect(400);
        expect((response.body as { message: string }).message).to.contain('body.password');
      });
    });

    describe('sessions and tokens', () => {
      it('should accept the session cookie and the bearer token when they are valid', async () => {
        const login = await request(url)
          .post('/api/auth/login')
          .send({ username: 'admin', password: TEST_ADMIN_PASSWORD });
        const token = (login.body as { token: string }).token;
        await request(url)
          .get('/api/agents')
          .set('Cookie', `flotilla_session=${token}`)
          .expect(200);
        await request(url).get('/api/agents').auth(token, { type: 'bearer' }).expect(200);
      });

      it('should refuse the token when its session was logged out', async () => {
        const token = await loginAsAdmin(dm.server);
        await request(url).post('/api/auth/logout').auth(token, { type: 'bearer' }).expect(204);
        await request(url).get('/api/agents').auth(token, { type: 'bearer' }).expect(401);
      });

      it('should issue a working API token and audit it when asked', async () => {
        const session = await loginAsAdmin(dm.server);
        const created = await request(url)
          .post('/api/auth/tokens')
          .auth(session, { type: 'bearer' })
          .send({ label: 'cli on laptop' })
          .expect(201);
        const apiToken = (created.body as { token: string }).token;
        expect(apiToken).to.match(/^flt_/);
        const audit = await request(url)
          .get('/api/audit?action=auth.token.create')
          .auth(apiToken, { type: 'bearer' })
          .expect(200);
        expect((audit.body as Array<{ details: unknown }>)[0].details).to.deep.equal({
          label: 'cli on laptop',
        });
      });

      it('should refuse with 401 when the bearer token is unknown', async () => {
        await request(url).get('/api/agents').auth('fls_forged', { type: 'bearer' }).expect(401);
      });

      it('should refuse the token when its session has expired', async () => {
        const token = await loginAsAdmin(dm.server);
        await request(url).get('/api/agents').auth(token, { type: 'bearer' }).expect(200);
        await expireSession(dm, token);
        await request(url).get('/api/agents').auth(token, { type: 'bearer' }).expect(401);
      });
    });

    describe('operator self-service', () => {
      it('should say who the caller is when asked /api/auth/me', async () => {
        const token = await loginAsAdmin(dm.server);
        const me = await request(url).get('/api/auth/me').auth(token, { type: 'bearer' });
        expect(me.body).to.deep.equal({ username: 'admin' });
      });

      it('should list API tokens without secrets and stop accepting a revoked one', async () => {
        const session = await loginAsAdmin(dm.server);
        const created = (
          await request(url)
            .post('/api/auth/tokens')
            .auth(session, { type: 'bearer' })
            .send({ label: 'to revoke' })
            .expect(201)
        ).body as { id: string; token: string };
        const listed = (
          await request(url).get('/api/auth/tokens').auth(session, { type: 'bearer' }).expect(200)
        ).body as Array<Record<string, unknown>>;
        const entry = listed.find((token) => token.id === created.id);
        expect(entry).to.include({ label: 'to revoke' });
        expect(entry).not.to.have.property('token');
        const revoke = (id: string) =>
          request(url).delete(`/api/auth/tokens/${id}`).auth(session, { type: 'bearer' });
        await revoke(created.id).expect(204);
        await request(url).get('/api/agents').auth(created.token, { type: 'bearer' }).expect(401);
        await revoke(created.id).expect(404);
        await revoke('not-a-uuid').expect(400);
      });

      it('should change the password, end the sessions, and refuse a wrong current one', async () => {
        const session = await loginAsAdmin(dm.server);
        const change = (token: string, currentPassword: string, newPassword: string) =>
          request(url)
            .post('/api/auth/password')
            .auth(token, { type: 'bearer' })
            .send({ currentPassword, newPassword });
        await change(session, 'not the password', 'a brand new password').expect(401);
        await change(session, TEST_ADMIN_PASSWORD, 'a brand new password').expect(204);
        await request(url).get('/api/agents').auth(session, { type: 'bearer' }).expect(401);
        await request(url)
          .post('/api/auth/login')
          .send({ username: 'admin', password: TEST_ADMIN_PASSWORD })
          .expect(401);
        const renewed = await loginAsAdmin(dm.server, 'a brand new password');
        await change(renewed, 'a brand new password', TEST_ADMIN_PASSWORD).expect(204);
      });
    });

    describe('protected routes', () => {
      it('should refuse every /api route but login and health when no credential is given', async () => {
        const token = await loginAsAdmin(dm.server);
        await request(url).get('/api/docs/json').expect(401);
        const document = (
          await request(url).get('/api/docs/json').auth(token, { type: 'bearer' }).expect(200)
        ).body as OpenApiDocument;
        const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
          Object.keys(methods).map((method) => ({ method, path: path.replace(/\{[^}]+\}/g, 'x') })),
        );
        const protectedRoutes = routes.filter(
          ({ method, path }) => !PUBLIC_ROUTES.has(`${method} ${path}`),
        );
        expect(protectedRoutes.length).to.be.greaterThan(6);
        for (const { method, path } of protectedRoutes) {
          const response = await request(url)[method as 'get' | 'post' | 'delete'](path);
          expect(response.status, `${method.toUpperCase()} ${path}`).to.equal(401);
        }
      });

      it('should answer /api/health without a credential', async () => {
        const response = await request(url).get('/api/health').expect(200);
        expect(response.body).to.deep.equal({ status: 'ok', database: 'up', role: 'leader' });
      });
    });
  });

  describe(`DM login rate limit on ${kind}`, function () {
    this.timeout(120_000);
    let database: TestDatabase;
    let dm: TestDm;

    before(async () => {
      database = await createTestDatabase(kind);
      dm = await startTestDm(database, { FLOTILLA_LOGIN_ATTEMPTS_PER_MINUTE: '3' });
    });

    after(async () => {
      await dm?.server.close();
      await database?.drop();
    });

    it('should answer 429 with Retry-After, even to the right password, when the limit is used up', async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        await request(dm.server.url)
          .post('/api/auth/login')
          .send({ username: 'admin', password: 'guess' })
          .expect(401);
      }
      const refused = await request(dm.server.url)
        .post('/api/auth/login')
        .send({ username: 'admin', password: TEST_ADMIN_PASSWORD })
        .expect(429);
      expect(Number(refused.headers['retry-after'])).to.be.within(1, 60);
      expect(refused.body).to.include({ code: 'LOGIN_RATE_LIMITED' });
    });
  });
}
