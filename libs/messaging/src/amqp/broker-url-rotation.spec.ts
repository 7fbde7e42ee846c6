import { expect } from 'chai';
import { AmqpError } from './amqp.errors';
import { BrokerUrlRotation } from './broker-url-rotation';

describe(BrokerUrlRotation.name, () => {
  describe('advance', () => {
    it('should go through every node in order and wrap around to the first', () => {
      const sut = new BrokerUrlRotation('amqp://u:p@a/v,amqp://u:p@b/v,amqp://u:p@c/v');
      const seen = [sut.current];
      for (let step = 0; step < 3; step += 1) {
        sut.advance();
        seen.push(new URL(sut.current).hostname);
      }
      expect(seen).to.deep.equal(['amqp://u:p@a/v', 'b', 'c', 'a']);
      expect(sut.currentLoggable).to.equal('amqp://u:***@a/v');
    });

    it('should stay on the only node of a single-node broker', () => {
      const sut = new BrokerUrlRotation('amqp://u:p@a/v');
      sut.advance();
      expect(sut.current).to.equal('amqp://u:p@a/v');
      expect(sut.size).to.equal(1);
    });
  });

  describe('constructor', () => {
    it('should read the broker user shared by every node', () => {
      expect(new BrokerUrlRotation('amqp://dm:p@a/v,amqp://dm:p@b/v').brokerUser).to.equal('dm');
    });

    it('should refuse nodes reached as different users', () => {
      expect(() => new BrokerUrlRotation('amqp://dm:p@a/v,amqp://admin:p@b/v')).to.throw(
        AmqpError,
        'broker URLs name different users (dm, admin)',
      );
    });
  });
});
