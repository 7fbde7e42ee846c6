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

  describe('agentQueue', () => {
    for (const badName of ['Web', 'web.1', '#', '', 'a'.repeat(64)]) {
      it(`should refuse the agent name "${badName}"`, () => {
        expect(() => sut.agentQueue(badName)).to.throw(AmqpError, 'agent name');
      });
    }
  });
});
