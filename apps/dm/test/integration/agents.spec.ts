import { expect } from 'chai';
import request from 'supertest';
import { AgentLivenessService } from '../../src/modules/agents/agent-liveness.service';
import { AgentsService } from '../../src/modules/agents/agents.service';
import type { EnrollmentRequest } from '../../src/modules/agents/agent';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database';
import { loginAsAdmin, startTestDm, type TestDm } from './support/test-dm';

const ALLOWLISTED = `sha256:${'a1'.repeat(32)}`;
const ONE_TIME_TOKEN = 'install-token-0123456789';
const CONCURRENT_TOKEN = 'concurrent-install-token-42';
let counter = 0;

function enrollment(overrides: Partial<EnrollmentRequest> = {}): EnrollmentRequest {
  counter += 1;
  const suffix = `${Date.now().toString(16)}${counter.toString(16)}`.padStart(64, '0');
  return {
    name: `host-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    thumbprint: `sha256:${suffix.slice(-64)}`,
    hostFacts: { os: 'debian', cpus: 2 },
    ...overrides,
  };
}

interface AgentBody {
  name: string;
  state: string;
  thumbprint: string;
}
interface AuditBody {
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

for (const kind of DATABASE_KINDS) {
  describe(`DM agents API on ${kind}`, function () {
    this.timeout(120_000);
    let database: TestDatabase;
    let dm: TestDm;
    let sut: AgentsService;
    let token: string;

    const api = () => request(dm.server.url);
    const post = (path: string) => api().post(path).auth(token, { type: 'bearer' });
    const get = (path: string) => api().get(path).auth(token, { type: 'bearer' });
    const auditOf = async (target: string) =>
      (await get(`/api/audit?target=${encodeURIComponent(target)}`).expect(200))
        .body as AuditBody[];

    before(async () => {
      database = await createTestDatabase(kind);
      dm = await startTestDm(database, {
        FLOTILLA_ENROLL_ALLOWLIST: ALLOWLISTED,
        FLOTILLA_ENROLL_TOKENS: `${ONE_TIME_TOKEN},${CONCURRENT_TOKEN}`,
      });
      sut = dm.server.app.get(AgentsService);
      token = await loginAsAdmin(dm.server);
    });

    after(async () => {
      await dm?.server.close();
      await database?.drop();
    });

    describe('recordEnrollment', () => {
      it('should create a pending agent shown by the API when the request is new', async () => {
        const request = enrollment();
        const decision = await sut.recordEnrollment(request);
        expect(decision.outcome).to.equal('pending');
        const body = (await get(`/api/agents/${request.name}`).expect(200)).body as AgentBody;
        expect(body).to.include({
          name: request.name,
          state: 'pending',
          thumbprint: request.thumbprint,
        });
        const names = ((await get('/api/agents').expect(200)).body as AgentBody[]).map(
          (a) => a.name,
        );
        expect(names).to.include(request.name);
      });

      it('should return the same record when the same name and thumbprint enroll again', async () => {
        const request = enrollment();
        const first = await sut.recordEnrollment(request);
        const second = await sut.recordEnrollment({ ...request, hostFacts: { os: 'debian 13' } });
        expect(second.outcome).to.equal('known');
        expect(second.agent.createdAt.getTime()).to.equal(first.agent.createdAt.getTime());
        expect(second.agent.hostFacts).to.deep.equal({ os: 'debian 13' });
        expect((await sut.list()).filter((a) => a.name === request.name)).to.have.length(1);
      });

      it('should deny and audit a different thumbprint when the name is trusted', async () => {
        const request = enrollment();
        await sut.recordEnrollment(request);
        await post(`/api/agents/${request.name}/accept`).expect(200);
        const impostor = enrollment({ name: request.name });
        const decision = await sut.recordEnrollment(impostor);
        expect(decision.outcome).to.equal('denied');
        expect(decision.agent.thumbprint).to.equal(request.thumbprint);
        const denied = (await auditOf(`agent:${request.name}`)).find(
          (entry) => entry.action === 'agent.enroll.denied',
        );
        expect(denied?.details).to.include({ presented: impostor.thumbprint, state: 'trusted' });
      });

      it('should trust at once when the thumbprint is allowlisted', async () => {
        const decision = await sut.recordEnrollment(enrollment({ thumbprint: ALLOWLISTED }));
        expect(decision.outcome).to.equal('auto-accepted');
        expect(decision.agent.state).to.equal('trusted');
      });

      it('should trust the first agent with a one-time token and leave the second pending', async () => {
        const first = await sut.recordEnrollment(enrollment({ enrollmentToken: ONE_TIME_TOKEN }));
        const second = await sut.recordEnrollment(enrollment({ enrollmentToken: ONE_TIME_TOKEN }));
        expect([first.agent.state, second.agent.state]).to.deep.equal(['trusted', 'pending']);
        const audit = await auditOf(`agent:${second.agent.name}`);
        const enrolled = audit.find((entry) => entry.action === 'agent.enroll');
        expect(enrolled?.details).to.include({ refusedToken: 'already spent' });
      });

      it('should keep one record when the same first enrollment arrives several times at once', async () => {
        const request = enrollment();
        const decisions = await Promise.all(
          Array.from({ length: 5 }, () => sut.recordEnrollment(request)),
        );
        expect(decisions.map((d) => d.outcome).sort()).to.deep.equal([
          'known',
          'known',
          'known',
          'known',
          'pending',
        ]);
        expect((await sut.list()).filter((a) => a.name === request.name)).to.have.length(1);
      });

      it('should spend a one-time token once when several agents present it at once', async () => {
        const decisions = await Promise.all(
          Array.from({ length: 5 }, () =>
            sut.recordEnrollment(enrollment({ enrollmentToken: CONCURRENT_TOKEN })),
          ),
        );
        expect(decisions.filter((d) => d.outcome === 'auto-accepted')).to.have.length(1);
        expect(decisions.filter((d) => d.outcome === 'pending')).to.have.length(4);
      });

      it('should refuse a malformed thumbprint naming the agent when it is not sha256', async () => {
        let caught: unknown;
        try {
          await sut.recordEnrollment(enrollment({ name: 'bad-1', thumbprint: 'sha1:abc' }));
        } catch (error: unknown) {
          caught = error;
        }
        expect(String(caught)).to.contain('bad-1');
      });
    });

    describe('POST /api/agents/:name/accept|reject|revoke', () => {
      const transitions: Array<[string, string[], string]> = [
        ['accept', [], 'trusted'],
        ['reject', [], 'rejected'],
        ['revoke', ['accept'], 'revoked'],
      ];
      for (const [action, before, expected] of transitions) {
        it(`should make the agent ${expected} and audit it when the operator says ${action}`, async () => {
          const { name } = enrollment();
          await sut.recordEnrollment(enrollment({ name }));
          for (const step of before) {
            await post(`/api/agents/${name}/${step}`).expect(200);
          }
          const body = (await post(`/api/agents/${name}/${action}`).expect(200)).body as AgentBody;
          expect(body.state).to.equal(expected);
          const entry = (await auditOf(`agent:${name}`)).find(
            (e) => e.action === `agent.${action}`,
          );
          expect(entry).to.include({ actor: 'operator:admin' });
          expect(entry?.details).to.include({ to: expected });
        });
      }

      const illegal: Array<[string, string[], string]> = [
        ['accept', ['accept'], 'trusted'],
        ['revoke', [], 'pending'],
        ['accept', ['reject'], 'rejected'],
        ['reject', ['accept', 'revoke'], 'revoked'],
      ];
      for (const [action, before, state] of illegal) {
        it(`should answer 409 naming the agent and state when it is ${state} and asked to ${action}`, async () => {
          const { name } = enrollment();
          await sut.recordEnrollment(enrollment({ name }));
          for (const step of before) {
            await post(`/api/agents/${name}/${step}`).expect(200);
          }
          const response = await post(`/api/agents/${name}/${action}`).expect(409);
          expect(response.body).to.include({ code: 'ILLEGAL_TRANSITION' });
          expect((response.body as { message: string }).message)
            .to.contain(name)
            .and.contain(state);
        });
      }

      it('should answer 404 naming the agent when it does not exist', async () => {
        const response = await post('/api/agents/ghost/accept').expect(404);
        expect((response.body as { message: string }).message).to.contain('ghost');
      });
    });

    describe('heartbeats', () => {
      it('should mark a trusted agent lost when it missed its heartbeats, and not when it beat', async () => {
        const liveness = dm.server.app.get(AgentLivenessService);
        const silent = await sut.recordEnrollment(enrollment());
        await post(`/api/agents/${silent.agent.name}/accept`).expect(200);
        const beating = await sut.recordEnrollment(enrollment());
        await post(`/api/agents/${beating.agent.name}/accept`).expect(200);
        const later = new Date(Date.now() + 60 * 60 * 1000);
        await liveness.recordHeartbeat(beating.agent.name, later);
        const lost = await liveness.markLost(later);
        expect(lost).to.include(silent.agent.name).and.not.include(beating.agent.name);
        expect((await sut.get(silent.agent.name)).isLost).to.equal(true);
        await liveness.recordHeartbeat(silent.agent.name, later);
        expect((await sut.get(silent.agent.name)).isLost).to.equal(false);
      });
    });
  });
}
