import { join } from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { AgentsService } from '../../src/modules/agents/agents.service';
import { copyFixture, MODEL_FIXTURES, tarGz } from '../integration/support/template-archives';
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database';
import { TEST_ADMIN_PASSWORD, startTestDm, type TestDm } from '../integration/support/test-dm';
import { openConsoleSession, openLoginForm, type ConsoleSession } from './support/console-session';

const HOSTILE = '<script>alert(1)</script>';

describe('DM web console over HTTP', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let dm: TestDm;
  let session: ConsoleSession;
  const api = () => request(dm.server.url);

  before(async () => {
    database = await createTestDatabase('embedded');
    dm = await startTestDm(database);
    session = await openConsoleSession(dm.server.url);
  });

  after(async () => {
    await dm?.server.close();
    await database?.drop();
  });

  it('should redirect / to the console and an unauthenticated page to the login page', async () => {
    expect((await api().get('/').expect(302)).headers.location).to.equal('/console/applications');
    for (const page of ['/console/applications', '/console/agents', '/console/audit']) {
      expect((await api().get(page).expect(303)).headers.location).to.equal('/console/login');
    }
    const login = await api().get('/console/login').expect(200);
    expect(login.text).to.include('<form method="post" action="/console/login">');
  });

  it('should send htmx requests without a session to the login page through HX-Redirect', async () => {
    const response = await api()
      .post('/console/applications/x/desired-state')
      .set('HX-Request', 'true');
    expect(response.status).to.equal(401);
    expect(response.headers['hx-redirect']).to.equal('/console/login');
  });

  it('should refuse a wrong password on the login page without a session cookie', async () => {
    const form = await openLoginForm(dm.server.url);
    const response = await api()
      .post('/console/login')
      .set('Cookie', form.cookie)
      .type('form')
      .send({ username: 'admin', password: 'wrong', _csrf: form.csrfToken })
      .expect(401);
    const cookies = (response.headers['set-cookie'] as unknown as string[]).join('\n');
    expect(cookies).not.to.include('flotilla_session=');
    expect(response.text).to.include('Invalid username or password');
  });

  it('should refuse with 403 a login without the token paired with its cookie', async () => {
    const form = await openLoginForm(dm.server.url);
    const credentials = { username: 'admin', password: TEST_ADMIN_PASSWORD };
    for (const attempt of [
      api()
        .post('/console/login')
        .type('form')
        .send({ ...credentials, _csrf: form.csrfToken }),
      api().post('/console/login').set('Cookie', form.cookie).type('form').send(credentials),
      api()
        .post('/console/login')
        .set('Cookie', form.cookie)
        .type('form')
        .send({ ...credentials, _csrf: `${form.csrfToken}x` }),
    ]) {
      const response = await attempt.expect(403);
      expect(response.headers['set-cookie']).to.equal(undefined);
    }
  });

  it('should refuse with 403 a state-changing request without the CSRF token', async () => {
    const name = `csrf-${Date.now().toString(36)}`;
    await dm.server.app.get(AgentsService).recordEnrollment({
      name,
      thumbprint: `sha256:${'c'.repeat(64)}`,
      hostFacts: {},
    });
    const accept = `/console/agents/${name}/accept`;
    await api().post(accept).set('Cookie', session.cookie).type('form').send({}).expect(403);
    await api()
      .post(accept)
      .set('Cookie', session.cookie)
      .set('x-csrf-token', `${session.csrfToken}x`)
      .expect(403);
    expect((await dm.server.app.get(AgentsService).get(name)).state).to.equal('pending');
    await api()
      .post(accept)
      .set('Cookie', session.cookie)
      .type('form')
      .send({ _csrf: session.csrfToken })
      .expect(303);
    expect((await dm.server.app.get(AgentsService).get(name)).state).to.equal('trusted');
  });

  it('should escape what agents report when rendering the agents page', async () => {
    await dm.server.app.get(AgentsService).recordEnrollment({
      name: `hostile-${Date.now().toString(36)}`,
      thumbprint: `sha256:${'d'.repeat(64)}`,
      hostFacts: { os: HOSTILE },
    });
    const page = await api().get('/console/agents').set('Cookie', session.cookie).expect(200);
    expect(page.text).not.to.include(HOSTILE);
    expect(page.text).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('should answer 422 with file:line:column diagnostics for a template with errors', async () => {
    const copy = await copyFixture('three-tier');
    try {
      await copy.edit(
        'graph/main.graph',
        (text) => `${text}\nBroken {\n  installer: script;\n  unknown-field: 1;\n`,
      );
      const response = await api()
        .post('/console/applications')
        .set('Cookie', session.cookie)
        .set('x-csrf-token', session.csrfToken)
        .set('HX-Request', 'true')
        .attach('archive', await tarGz(copy.directory), 'broken.tar.gz')
        .expect(422);
      expect(response.text).to.match(/<code>graph\/main\.graph:\d+:\d+: [^<]+<\/code>/);
    } finally {
      await copy.remove();
    }
  });

  it('should revoke an agent only after the confirmation page, and audit it', async () => {
    const agents = dm.server.app.get(AgentsService);
    const name = `revoke-${Date.now().toString(36)}`;
    await agents.recordEnrollment({ name, thumbprint: `sha256:${'e'.repeat(64)}`, hostFacts: {} });
    const operator = { id: 'test', username: 'admin' };
    await agents.decide(name, 'accept', operator);
    const confirm = await api()
      .get(`/console/agents/${name}/revoke`)
      .set('Cookie', session.cookie)
      .expect(200);
    expect(confirm.text).to.include(`sha256:${'e'.repeat(64)}`);
    expect(confirm.text).to.include(`action="/console/agents/${name}/revoke"`);
    expect((await agents.get(name)).state).to.equal('trusted');
    await api()
      .post(`/console/agents/${name}/revoke`)
      .set('Cookie', session.cookie)
      .type('form')
      .send({ _csrf: session.csrfToken })
      .expect(303);
    expect((await agents.get(name)).state).to.equal('revoked');
    const audit = await api().get('/console/audit').set('Cookie', session.cookie).expect(200);
    expect(audit.text).to.include('agent.revoke').and.include(`agent:${name}`);
  });

  it('should render an unknown application as a 404 page and keep the session', async () => {
    const response = await api()
      .get('/console/applications/nope')
      .set('Cookie', session.cookie)
      .expect(404);
    expect(response.text).to.include('No application named nope');
    expect(response.text).to.include('action="/console/logout"');
  });

  it('should serve htmx, its SSE extension and the stylesheet, and nothing else', async () => {
    const htmx = await api().get('/console/assets/htmx.min.js').expect(200);
    expect(htmx.headers['content-type']).to.match(/javascript/);
    await api().get('/console/assets/sse.js').expect(200);
    await api().get('/console/assets/console.css').expect('Content-Type', /css/).expect(200);
    await api().get('/console/assets/..%2Fpackage.json').expect(404);
  });

  it('should not open the event stream without a session', async () => {
    const response = await api().get('/console/applications/any/events').expect(303);
    expect(response.headers.location).to.equal('/console/login');
  });

  it('should end the session on logout', async () => {
    const own = await openConsoleSession(dm.server.url);
    await api()
      .post('/console/logout')
      .set('Cookie', own.cookie)
      .type('form')
      .send({ _csrf: own.csrfToken })
      .expect(303);
    await api().get('/console/agents').set('Cookie', own.cookie).expect(303);
  });

  it('should delete an undeployed application from the applications page', async () => {
    const archive = await tarGz(join(MODEL_FIXTURES, 'three-tier'));
    const create = await api()
      .post('/console/applications')
      .set('Cookie', session.cookie)
      .set('x-csrf-token', session.csrfToken)
      .set('HX-Request', 'true')
      .field('name', 'to-delete')
      .attach('archive', archive, 'three-tier.tar.gz')
      .expect(204);
    expect(create.headers['hx-redirect']).to.equal('/console/applications/to-delete');
    const list = await api().get('/console/applications').set('Cookie', session.cookie).expect(200);
    expect(list.text).to.include('data-application="to-delete"');
    await api()
      .post('/console/applications/to-delete/delete')
      .set('Cookie', session.cookie)
      .type('form')
      .send({ _csrf: session.csrfToken })
      .expect(303);
    const after = await api()
      .get('/console/applications')
      .set('Cookie', session.cookie)
      .expect(200);
    expect(after.text).not.to.include('data-application="to-delete"');
  });

  it('should end the output stream of an unknown application instead of leaving it open', async () => {
    const response = await api()
      .get('/console/applications/nope/output?path=%2Fvm')
      .set('Cookie', session.cookie)
      .timeout(10_000);
    expect(response.text).not.to.include('event: output');
  });
});
