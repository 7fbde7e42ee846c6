import { expect } from 'chai';
import { toLoggableUrl, userOfUrl } from './loggable-url';

describe(toLoggableUrl.name, () => {
  it('should mask the password when the URL carries one', () => {
    expect(toLoggableUrl('amqp://dm:s3cret@broker:5672/flotilla')).to.equal(
      'amqp://dm:***@broker:5672/flotilla',
    );
  });

  it('should keep a URL without password as is', () => {
    expect(toLoggableUrl('amqp://broker:5672/flotilla')).to.equal('amqp://broker:5672/flotilla');
  });

  it('should show nothing of a URL that does not parse', () => {
    expect(toLoggableUrl('amqp://dm:s3cret@[broken')).to.not.contain('s3cret');
  });
});

describe(userOfUrl.name, () => {
  it('should read the decoded user name, or guest when there is none', () => {
    expect(userOfUrl('amqp://flotilla-agent-web%2D1:pw@h/v')).to.equal('flotilla-agent-web-1');
    expect(userOfUrl('amqp://h/v')).to.equal('guest');
  });
});
