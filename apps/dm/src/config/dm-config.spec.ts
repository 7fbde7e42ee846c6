import { expect } from 'chai';
import { DmConfigError } from './dm-config.error';
import { loadDmConfig } from './load-dm-config';
import { loggableUrl } from './loggable-url';

const THUMBPRINT = `sha256:${'ab'.repeat(32)}`;

function problemsOf(env: Record<string, string>, flags = {}): readonly string[] {
  try {
    loadDmConfig(env, flags);
  } catch (error: unknown) {
    if (error instanceof DmConfigError) {
      return error.problems;
    }
    throw error;
  }
  expect.fail('loadDmConfig accepted an invalid configuration');
}

describe('loadDmConfig', () => {
  it('should apply the documented defaults when nothing is set', () => {
    const sut = loadDmConfig({});
    expect(sut.http).to.deep.equal({ port: 8181, host: '0.0.0.0' });
    expect(sut.databaseUrl).to.equal(undefined);
    expect(sut.heartbeat).to.deep.equal({ intervalSeconds: 10, missedLimit: 3 });
    expect(sut.logLevel).to.equal('info');
    expect(sut.enrollment.oneTimeTokens).to.deep.equal([]);
  });

  it('should let a flag win over its FLOTILLA_* variable when both are given', () => {
    const sut = loadDmConfig({ FLOTILLA_PORT: '9000' }, { port: 9100 });
    expect(sut.http.port).to.equal(9100);
  });

  it('should parse comma-separated enrollment lists when they are given', () => {
    const sut = loadDmConfig({
      FLOTILLA_ENROLL_ALLOWLIST: ` ${THUMBPRINT} ,`,
      FLOTILLA_ENROLL_TOKENS: 'a-long-one-time-token-1,another-token-of-length',
    });
    expect(sut.enrollment.allowlistedThumbprints).to.deep.equal([THUMBPRINT]);
    expect(sut.enrollment.oneTimeTokens).to.have.length(2);
  });

  it('should return a frozen object when valid', () => {
    const sut = loadDmConfig({});
    expect(Object.isFrozen(sut)).to.equal(true);
    expect(Object.isFrozen(sut.http)).to.equal(true);
    expect(Object.isFrozen(sut.enrollment.oneTimeTokens)).to.equal(true);
  });

  it('should list every bad key with its reason when several are invalid', () => {
    const problems = problemsOf({
      FLOTILLA_PORT: '70000',
      FLOTILLA_DATABASE_URL: 'mysql://x',
      FLOTILLA_AMQP_URL: 'http://broker',
      FLOTILLA_LOG_LEVEL: 'loud',
      FLOTILLA_ENROLL_ALLOWLIST: 'sha1:abc',
      FLOTILLA_ADMIN_PASSWORD: 'short',
    });
    expect(problems).to.deep.equal([
      'FLOTILLA_PORT: must be an integer from 1 to 65535',
      'FLOTILLA_DATABASE_URL: must be a postgres:// URL',
      'FLOTILLA_AMQP_URL: must be an amqp(s):// URL or a comma-separated list of them',
      'FLOTILLA_ADMIN_PASSWORD: must be at least 12 characters',
      'FLOTILLA_ENROLL_ALLOWLIST.0: must list thumbprints as sha256:<64 lowercase hex>',
      'FLOTILLA_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  const badIntegers: Array<[string, string]> = [
    ['FLOTILLA_PORT', 'eighty'],
    ['FLOTILLA_PORT', '0'],
    ['FLOTILLA_HEARTBEAT_INTERVAL', '-5'],
    ['FLOTILLA_MISSED_HEARTBEATS', '1.5'],
  ];
  for (const [variable, value] of badIntegers) {
    it(`should refuse ${variable}=${value} when it is not an integer in range`, () => {
      expect(problemsOf({ [variable]: value })[0]).to.match(
        new RegExp(`^${variable}: must be an integer from \\d+ to \\d+$`),
      );
    });
  }

  it('should keep the node list and the quorum queue type when a cluster is configured', () => {
    const nodes = 'amqp://dm:pw@n1:5681/flotilla,amqp://dm:pw@n2:5682/flotilla';
    const sut = loadDmConfig({ FLOTILLA_AMQP_URL: nodes, FLOTILLA_AMQP_QUEUE_TYPE: 'quorum' });
    expect(sut.amqpUrl).to.equal(nodes);
    expect(sut.amqpQueueType).to.equal('quorum');
    expect(loadDmConfig({}).amqpQueueType).to.equal('classic');
    expect(loadDmConfig({}, { amqpQueueType: 'quorum' }).amqpQueueType).to.equal('quorum');
  });

  it('should refuse a node list with a non-AMQP item and an unknown queue type', () => {
    const problems = problemsOf({
      FLOTILLA_AMQP_URL: 'amqp://dm:pw@n1/flotilla,http://n2',
      FLOTILLA_AMQP_QUEUE_TYPE: 'stream',
    });
    expect(problems).to.deep.equal([
      'FLOTILLA_AMQP_URL: must be an amqp(s):// URL or a comma-separated list of them',
      'FLOTILLA_AMQP_QUEUE_TYPE: must be one of classic, quorum',
    ]);
  });

  it('should name the variable when a flag holds the bad value', () => {
    expect(problemsOf({}, { port: 'x' })).to.deep.equal([
      'FLOTILLA_PORT: must be an integer from 1 to 65535',
    ]);
  });
});

describe('loggableUrl', () => {
  it('should mask the password when the URL holds one', () => {
    expect(loggableUrl('postgres://u:secret@h:5432/db')).to.equal('postgres://u:***@h:5432/db');
  });
});
