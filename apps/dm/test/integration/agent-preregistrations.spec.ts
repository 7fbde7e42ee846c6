import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DM_IDENTITY, AgentsService } from '@flotilla/dm';
import type { Identity } from '@flotilla/messaging';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { loginAsAdmin, startTestDm, type TestDm } from './support/test-dm';

interface PreregistrationBody {
  outcome: string;
  agent: { name: string; state: string; thumbprint: string; lastSeenAt: string | null };
  dm: { thumbprint: string; brokerNamespace?: string };
}
interface ErrorBody {
  code: string;
  message: string;
}

const hex = (): string => randomBytes(32).toString('hex');
const uniqueName = (): string => `pre-${randomBytes(4).toString('hex')}`;

describe('POST /api/agents/preregistrations', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let dm: TestDm;
  let token: string;

  const preregister = (body: object) =>
    request(dm.server.url)
      .post('/api/agents/preregistrations')
      .auth(token, { type: 'bearer' })
      .send(body);
  const auditActions = async (name: string): Promise<string[]> =>
    (
      (
        await request(dm.server.url)
          .get(`/api/audit?target=agent:${name}`)
          .auth(token, { type: 'bearer' })
          .expect(200)
      ).body as Array<{ action: string }>
    ).map((entry) => entry.action);

  before(async () => {
    database = await createTestDatabase('postgresql');
    dm = await startTestDm(database);
    token = await loginAsAdmin(dm.server);
  });

  after(async () => {
    await dm?.server.close();
    await database?.drop();
  });

  it("should trust a never-seen agent and answer with the DM's thumbprint and namespace", async () => {
    const name = uniqueName();
    const thumbprint = hex();

    const response = await preregister({ name, thumbprint }).expect(200);

    const body = response.body as PreregistrationBody;
    expect(body.outcome).to.equal('registered');
    expect(body.agent).to.include({ name, state: 'trusted', thumbprint: `sha256:${thumbprint}` });
    expect(body.agent.lastSeenAt).to.equal(null);
    expect(body.dm).to.deep.equal({
      thumbprint: dm.server.app.get<Identity>(DM_IDENTITY).thumbprint,
      brokerNamespace: dm.broker.id,
    });
    expect(await auditActions(name)).to.deep.equal(['agent.preregistered']);
  });

  it('should change and audit nothing when the same name and thumbprint come again', async () => {
    const name = uniqueName();
    const thumbprint = `sha256:${hex()}`;
    await preregister({ name, thumbprint }).expect(200);

    const again = await preregister({ name, thumbprint }).expect(200);

    expect((again.body as PreregistrationBody).outcome).to.equal('unchanged');
    expect(await auditActions(name)).to.deep.equal(['agent.preregistered']);
  });

  it('should trust the agent when it enrolls with that thumbprint, with no accept', async () => {
    const name = uniqueName();
    const thumbprint = hex();
    await preregister({ name, thumbprint }).expect(200);

    const decision = await dm.server.app.get(AgentsService).recordEnrollment({
      name,
      thumbprint: `sha256:${thumbprint}`,
      hostFacts: { os: 'debian' },
    });

    expect(decision.outcome).to.equal('known');
    expect(decision.agent.state).to.equal('trusted');
    expect(decision.agent.lastSeenAt).to.be.instanceOf(Date);
  });

  it('should accept a pending agent that enrolled first with the same thumbprint', async () => {
    const name = uniqueName();
    const thumbprint = hex();
    await dm.server.app.get(AgentsService).recordEnrollment({
      name,
      thumbprint: `sha256:${thumbprint}`,
      hostFacts: {},
    });

    const response = await preregister({ name, thumbprint }).expect(200);

    expect(response.body as PreregistrationBody).to.deep.include({ outcome: 'accepted' });
    expect((response.body as PreregistrationBody).agent.state).to.equal('trusted');
    expect(await auditActions(name)).to.include('agent.accept');
  });

  it('should answer 409 naming both thumbprints when the name belongs to another key', async () => {
    const name = uniqueName();
    const known = hex();
    const other = hex();
    await preregister({ name, thumbprint: known }).expect(200);

    const response = await preregister({ name, thumbprint: other }).expect(409);

    const body = response.body as ErrorBody;
    expect(body.code).to.equal('CONFLICT');
    expect(body.message).to.contain(`sha256:${known}`).and.contain(`sha256:${other}`);
  });

  it('should answer 400 naming the field when the thumbprint is not 64 hex digits', async () => {
    const response = await preregister({ name: uniqueName(), thumbprint: 'abc' }).expect(400);

    expect((response.body as ErrorBody).message).to.contain('body.thumbprint');
  });

  it('should answer 401 without credentials', async () => {
    await request(dm.server.url)
      .post('/api/agents/preregistrations')
      .send({ name: uniqueName(), thumbprint: hex() })
      .expect(401);
  });
});
