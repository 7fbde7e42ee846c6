import { expect } from 'chai';
import { AmqpError } from './amqp.errors';
import { FlotillaTopology } from './flotilla-topology';

describe(FlotillaTopology.name, () => {
  const sut = new FlotillaTopology({ namespace: 'ns', retryDelaysMs: [10, 20] });

  describe('agentTopology', () => {
    it('should declare the agent queue dead-lettering to flotilla.dead, its retry queues and its dead queue', () => {
      const topology = sut.agentTopology('web-1');
      expect(topology.queues.map((queue) => queue.name)).to.deep.equal([
        'ns.flotilla.agent.web-1',
        'ns.flotilla.agent.web-1.retry.1',
        'ns.flotilla.agent.web-1.retry.2',
        'ns.flotilla.agent.web-1.dead',
      ]);
      expect(topology.queues[0]?.arguments).to.deep.equal({
        'x-dead-letter-exchange': 'ns.flotilla.dead',
        'x-dead-letter-routing-key': 'ns.flotilla.agent.web-1',
      });
      expect(topology.queues[2]?.arguments).to.deep.equal({
        'x-message-ttl': 20,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': 'ns.flotilla.agent.web-1',
      });
    });
  });

  describe('workQueue', () => {
    it('should declare no queue type when classic (queues declared before quorum existed stay valid)', () => {
      const queues = sut.workQueue('ns.q', 'ns.x', '#').queues;
      expect(queues.map((queue) => queue.arguments?.['x-queue-type'])).to.deep.equal([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
    });

    it('should make every queue quorum, dead-lettering at least once, when quorum', () => {
      const quorum = new FlotillaTopology({
        namespace: 'ns',
        queueType: 'quorum',
        retryDelaysMs: [10],
      });
      const [work, retry, dead] = quorum.workQueue('ns.q', 'ns.x', '#').queues;
      expect(work?.arguments).to.deep.equal({
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': 'ns.flotilla.dead',
        'x-dead-letter-routing-key': 'ns.q',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      });
      expect(retry?.arguments).to.include({
        'x-queue-type': 'quorum',
        'x-message-ttl': 10,
        'x-dead-letter-exchange': '',
        'x-dead-letter-strategy': 'at-least-once',
      });
      expect(dead?.arguments).to.deep.equal({ 'x-queue-type': 'quorum' });
    });
  });

  describe('agentQueue', () => {
    for (const badName of ['Web', 'web.1', '#', '', 'a'.repeat(64)]) {
      it(`should refuse the agent name "${badName}"`, () => {
        expect(() => sut.agentQueue(badName)).to.throw(AmqpError, 'agent name');
      });
    }
  });
});
