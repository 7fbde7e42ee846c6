import { expect } from 'chai';
import { AmqpError } from './amqp.errors';
import { splitBrokerUrls, toLoggableUrlList, withBrokerCredentials } from './broker-urls';

describe('broker URL lists', () => {
  const list = 'amqp://dm:pw@n1:5681/flotilla, amqp://dm:pw@n2:5682/flotilla,';

  describe(splitBrokerUrls.name, () => {
    it('should list every node URL in order when given a comma-separated list', () => {
      expect(splitBrokerUrls(list)).to.deep.equal([
        'amqp://dm:pw@n1:5681/flotilla',
        'amqp://dm:pw@n2:5682/flotilla',
      ]);
    });

    it('should name the position of an item that is not an amqp URL, without its password', () => {
      const call = () => splitBrokerUrls('amqp://a:pw@n1/v,http://a:secret@n2/v');
      expect(call)
        .to.throw(AmqpError, 'broker URL 2 of 2')
        .and.not.match(/secret/);
    });

    for (const empty of ['', ' , ']) {
      it(`should refuse the empty list "${empty}"`, () => {
        expect(() => splitBrokerUrls(empty)).to.throw(AmqpError, 'broker URL list is empty');
      });
    }
  });

  describe(withBrokerCredentials.name, () => {
    it('should give every node the same user and password', () => {
      expect(withBrokerCredentials(list, 'flotilla-agent-web', 'p@ss')).to.equal(
        'amqp://flotilla-agent-web:p%40ss@n1:5681/flotilla,' +
          'amqp://flotilla-agent-web:p%40ss@n2:5682/flotilla',
      );
    });
  });

  describe(toLoggableUrlList.name, () => {
    it('should mask the password of every node', () => {
      expect(toLoggableUrlList(list)).to.equal(
        'amqp://dm:***@n1:5681/flotilla,amqp://dm:***@n2:5682/flotilla',
      );
    });
  });
});
