import { expect } from 'chai';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database';
import { loginAsAdmin, startTestDm, type TestDm } from './support/test-dm';

for (const kind of DATABASE_KINDS) {
  describe(`DM health, metrics, docs and errors on ${kind}`, function () {
    this.timeout(120_000);
    let database: TestDatabase;
    let dm: TestDm;
    let token: string;

    before(async () => {
      database = await createTestDatabase(kind);
      dm = await startTestDm(database);
      token = await loginAsAdmin(dm.server);
    });

    after(async () => {
      await dm?.server.close();
      await database?.drop();
    });

    it('should count requests by route template and status when /metrics is scraped', async () => {
      await request(dm.server.url).get('/api/agents/some-agent').expect(401);
      const metrics = await request(dm.server.url).get('/metrics').expect(200);
      expect(metrics.text)
        .to.contain(
          'flotilla_http_requests_total{method="GET",route="/api/agents/:name",status="401"} 1',
        )
        .and.contain('flotilla_http_request_duration_seconds_bucket')
        .and.contain('process_cpu_user_seconds_total');
    });

    it('should echo the caller correlation id, or make one, when a request arrives', async () => {
      const echoed = await request(dm.server.url)
        .get('/api/health')
        .set('X-Correlation-Id', 'deploy-42')
        .expect(200);
      expect(echoed.headers['x-correlation-id']).to.equal('deploy-42');
      const made = await request(dm.server.url).get('/api/health').expect(200);
      expect(made.headers['x-correlation-id']).to.match(/^[0-9a-f-]{36}$/);
    });

    it('should describe the agents, audit and auth routes in the OpenAPI document', async () => {
      const document = await request(dm.server.url)
        .get('/api/docs/json')
        .auth(token, { type: 'bearer' })
        .expect(200);
      expect(Object.keys((document.body as { paths: object }).paths)).to.include.members([
        '/api/agents',
        '/api/agents/{name}/accept',
        '/api/audit',
        '/api/auth/login',
        '/api/auth/tokens',
        '/api/health',
      ]);
    });

    it('should answer 503 on health and a bare errorId on other routes when the database is gone', async () => {
      await dm.server.app.get(DataSource).destroy();
      const health = await request(dm.server.url).get('/api/health').expect(503);
      expect(health.body).to.deep.equal({ status: 'error', database: 'down', role: 'leader' });
      const failure = await request(dm.server.url)
        .get('/api/agents')
        .auth(token, { type: 'bearer' })
        .expect(500);
      expect(Object.keys(failure.body as object)).to.deep.equal(['statusCode', 'errorId']);
    });
  });
}
