import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { DM_IDENTITY, DmBroker, type DmServer } from '@flotilla/dm';
import { AGENT_HEARTBEAT_V1, EnvelopeSealer, type Identity } from '@flotilla/messaging';
import request from 'supertest';
import * as amqp from 'amqplib';
import {
  BrokerNamespace,
  RawAmqp,
  TEST_AMQP_URL,
  testAmqpUrlFor,
} from '../../libs/messaging/testing';
import { SimulatedAgent } from './support/simulated-agent';
import { adminToken, TestDmHome } from './support/test-dm';

describe('DM agents over the broker', function () {
  this.timeout(120_000);
  let broker: BrokerNamespace;
  let home: TestDmHome;
  let sut: DmServer;
  let token: string;
  const agents: SimulatedAgent[] = [];
  /** A name of its own per test: broker user names are global to the vhost. */
  let web = '';

  beforeEach(async () => {
    broker = new BrokerNamespace();
    web = `web-${randomBytes(4).toString('hex')}`;
    home = await TestDmHome.create();
    sut = await home.start(TEST_AMQP_URL, broker.id);
    token = await adminToken(sut);
  });

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
    await broker.management.deleteUser(`flotilla-agent-${web}`);
    await sut?.close();
    await broker.nuke();
    await home.remove();
  });

  async function newAgent(name: string): Promise<SimulatedAgent> {
    const dm = sut.app.get<Identity>(DM_IDENTITY);
    const agent = await SimulatedAgent.create({
      name,
      topology: sut.app.get(DmBroker).topology,
      enrollUrl: TEST_AMQP_URL,
      amqpUrlFor: testAmqpUrlFor,
      dm: { thumbprint: dm.thumbprint, certificatePem: dm.certificatePem },
    });
    agents.push(agent);
    return agent;
  }

  function api(method: 'get' | 'post', path: string): request.Test {
    return request(sut.url)[method](`/api${path}`).set('Authorization', `Bearer ${token}`);
  }

  describe('enrollment', () => {
    it('should record a pending agent and answer pending when an unknown agent asks', async () => {
      const agent = await newAgent(web);

      const answer = await agent.enroll();

      expect(answer.status).to.equal('pending');
      const listed = await api('get', `/agents/${web}`).expect(200);
      expect(listed.body).to.include({ name: web, state: 'pending' });
    });

    it('should answer the same pending agent again when it asks again', async () => {
      const agent = await newAgent(web);
      await agent.enroll();

      const again = await agent.enroll();

      expect(again.status).to.equal('pending');
      const all = await api('get', '/agents').expect(200);
      expect((all.body as unknown[]).length).to.equal(1);
    });

    it('should send broker credentials that reach only its own queue when an operator accepts', async () => {
      const agent = await newAgent(web);
      await agent.enroll();

      await api('post', `/agents/${web}/accept`).expect(200);
      const answer = await agent.nextEnrollmentAnswer();

      expect(answer).to.include({ status: 'accepted', brokerUser: `flotilla-agent-${web}` });
      await agent.connect(answer);
      const url = testAmqpUrlFor(answer.brokerUser!, answer.brokerPassword!);
      expect(await canConsume(url, broker.topology.agentQueue(web) + '.dead')).to.equal(false);
      expect(await canConsume(url, broker.topology.dmInboxQueue)).to.equal(false);
    });

    it('should answer accepted with fresh credentials when an accepted agent asks again', async () => {
      const agent = await newAgent(web);
      await agent.enroll();
      await api('post', `/agents/${web}/accept`).expect(200);
      await agent.nextEnrollmentAnswer();

      const again = await agent.enroll();

      expect(again.status).to.equal('accepted');
      await agent.connect(again);
    });

    it('should answer rejected and keep the first key when another key asks for a known name', async () => {
      const first = await newAgent(web);
      await first.enroll();
      const impostor = await newAgent(web);

      const answer = await impostor.enroll();

      expect(answer.status).to.equal('rejected');
      const listed = await api('get', `/agents/${web}`).expect(200);
      expect((listed.body as { thumbprint: string }).thumbprint).to.equal(
        `sha256:${first.identity.thumbprint}`,
      );
    });
  });

  describe('liveness and revocation', () => {
    async function acceptedAgent(name: string): Promise<SimulatedAgent> {
      const agent = await newAgent(name);
      await agent.enroll();
      await api('post', `/agents/${name}/accept`).expect(200);
      await agent.connect(await agent.nextEnrollmentAnswer());
      return agent;
    }

    it('should refuse and count the next message of a revoked agent', async () => {
      const agent = await acceptedAgent(web);
      await api('post', `/agents/${web}/revoke`).expect(200);
      const before = await api('get', `/agents/${web}`).expect(200);
      const sealed = new EnvelopeSealer(agent.identity, { policy: agent.registry }).seal({
        type: AGENT_HEARTBEAT_V1.type,
        recipient: sut.app.get<Identity>(DM_IDENTITY).thumbprint,
        payload: { sequence: 1, uptimeMs: 1000 },
      });
      const raw = await RawAmqp.open();
      try {
        await raw.publish(
          broker.topology.dmExchange,
          broker.topology.agentToDmRoutingKey(web, 'heartbeat'),
          sealed.body,
          { messageId: sealed.messageId },
        );
      } finally {
        await raw.close();
      }

      await eventually(async () => {
        const metrics = await request(sut.url).get('/metrics').expect(200);
        expect(metrics.text).to.match(
          /flotilla_dm_envelopes_refused\{[^}]*reason="SENDER_REVOKED"[^}]*\} 1/,
        );
      });
      const after = await api('get', `/agents/${web}`).expect(200);
      const lastSeenOf = (response: request.Response) =>
        (response.body as { lastSeenAt: string | null }).lastSeenAt;
      expect(lastSeenOf(after)).to.equal(lastSeenOf(before));
    });

    it('should record last seen when a trusted agent sends a heartbeat', async () => {
      const agent = await acceptedAgent(web);

      await agent.heartbeat();

      await eventually(async () => {
        const listed = await api('get', `/agents/${web}`).expect(200);
        expect((listed.body as { lastSeenAt: string | null }).lastSeenAt).to.be.a('string');
      });
    });

    it('should close the connections of a revoked agent and delete its broker user', async () => {
      const agent = await acceptedAgent(web);
      await agent.heartbeat();

      await api('post', `/agents/${web}/revoke`).expect(200);

      await eventually(async () => {
        const connections = await broker.management.listConnections();
        expect(connections.map((connection) => connection.user)).not.to.include(
          `flotilla-agent-${web}`,
        );
      });
      const users = (await broker.management.request('GET', '/api/users?columns=name')) as {
        name: string;
      }[];
      expect(users.map((user) => user.name)).not.to.include(`flotilla-agent-${web}`);
    });
  });
});

/** Whether the broker lets `url`'s user consume `queue` (read permission), with a raw client. */
async function canConsume(url: string, queue: string): Promise<boolean> {
  const model = await amqp.connect(url);
  model.on('error', () => undefined);
  try {
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    return await channel
      .consume(queue, () => undefined)
      .then(
        () => true,
        () => false,
      );
  } finally {
    await model.close().catch(() => undefined);
  }
}

/** Retries an assertion until it passes or 20 s have passed (state reached through the broker). */
async function eventually(assertion: () => Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error: unknown) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
