import { expect } from 'chai';
import { AgentConfigError } from './agent-config.error';
import { loadAgentConfig } from './load-agent-config';

const VALID = {
  FLOTILLA_AGENT_NAME: 'web-1',
  FLOTILLA_AMQP_URL: 'amqp://enroll:secret@10.0.0.1:5672/flotilla',
  FLOTILLA_DM_THUMBPRINT: 'A'.repeat(64),
};

function errorOf(env: Record<string, string | undefined>): AgentConfigError {
  try {
    loadAgentConfig(env);
  } catch (error: unknown) {
    if (error instanceof AgentConfigError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadAgentConfig', () => {
  it('should apply the documented defaults when only the required keys are set', () => {
    const sut = loadAgentConfig(VALID);

    expect(sut).to.deep.include({
      name: 'web-1',
      dmThumbprint: 'a'.repeat(64),
      brokerNamespace: '',
      dataDir: '/var/lib/flotilla-agent',
      heartbeatIntervalMs: 15_000,
      logLevel: 'info',
    });
    expect(sut.firewall).to.deep.equal({
      backend: 'nft',
      isManaged: false,
      alwaysOpen: [{ port: 22, protocol: 'tcp' }],
    });
    expect(sut.recipes).to.deep.equal({ timeoutMs: 600_000 });
    expect(Object.isFrozen(sut.firewall)).to.equal(true);
  });

  it('should have no proxy role unless FLOTILLA_PROXY or --proxy asks for it', () => {
    expect(loadAgentConfig(VALID).proxy).to.equal(undefined);
    expect(
      loadAgentConfig(VALID, { proxy: true, proxyKey: '/etc/flotilla/id_ed25519, /root/k2' }).proxy,
    ).to.deep.equal({ keyFiles: ['/etc/flotilla/id_ed25519', '/root/k2'], concurrency: 4 });
  });

  it('should name FLOTILLA_PROXY_KEYS when a key file is not an absolute path', () => {
    const error = errorOf({ ...VALID, FLOTILLA_PROXY: 'true', FLOTILLA_PROXY_KEYS: 'id_rsa' });

    expect(error.keys).to.deep.equal(['FLOTILLA_PROXY_KEYS']);
    expect(error.message).to.contain('absolute key file paths');
  });

  it('should let flags win over the environment', () => {
    const sut = loadAgentConfig(
      { ...VALID, FLOTILLA_FIREWALL: 'nft' },
      { firewall: 'none', firewallManaged: true, alwaysOpen: '22/tcp, 8443/tcp', name: 'db-2' },
    );

    expect(sut.name).to.equal('db-2');
    expect(sut.firewall).to.deep.equal({
      backend: 'none',
      isManaged: true,
      alwaysOpen: [
        { port: 22, protocol: 'tcp' },
        { port: 8443, protocol: 'tcp' },
      ],
    });
  });

  it('should accept the comma-separated node URLs of a cluster and refuse one bad node', () => {
    const nodes = 'amqp://enroll:s@10.0.0.1:5681/flotilla,amqp://enroll:s@10.0.0.2:5682/flotilla';
    expect(loadAgentConfig({ ...VALID, FLOTILLA_AMQP_URL: nodes }).amqpUrl).to.equal(nodes);
    expect(
      errorOf({ ...VALID, FLOTILLA_AMQP_URL: `${nodes},http://10.0.0.3/flotilla` }).keys,
    ).to.deep.equal(['FLOTILLA_AMQP_URL']);
  });

  it('should name every invalid key when several are wrong', () => {
    const error = errorOf({
      FLOTILLA_AGENT_NAME: 'Web_1',
      FLOTILLA_AMQP_URL: 'http://example',
      FLOTILLA_FIREWALL: 'pf',
      FLOTILLA_HEARTBEAT_INTERVAL_MS: 'soon',
      FLOTILLA_ALWAYS_OPEN_PORTS: '22/sctp',
    });

    expect(error.keys).to.have.members([
      'FLOTILLA_AGENT_NAME',
      'FLOTILLA_AMQP_URL',
      'FLOTILLA_DM_THUMBPRINT',
      'FLOTILLA_FIREWALL',
      'FLOTILLA_HEARTBEAT_INTERVAL_MS',
      'FLOTILLA_ALWAYS_OPEN_PORTS',
    ]);
    expect(error.message).to.contain('FLOTILLA_DM_THUMBPRINT: is required');
    expect(error.message).to.contain('FLOTILLA_FIREWALL: must be one of nft, iptables, none');
  });

  const thumbprints: [string, boolean][] = [
    ['f'.repeat(64), true],
    ['f'.repeat(63), false],
    ['g'.repeat(64), false],
    [`sha256:${'f'.repeat(64)}`, false],
  ];
  for (const [thumbprint, isValid] of thumbprints) {
    it(`should ${isValid ? 'accept' : 'refuse'} the DM thumbprint "${thumbprint}"`, () => {
      const env = { ...VALID, FLOTILLA_DM_THUMBPRINT: thumbprint };
      if (isValid) {
        expect(loadAgentConfig(env).dmThumbprint).to.equal(thumbprint);
      } else {
        expect(errorOf(env).keys).to.deep.equal(['FLOTILLA_DM_THUMBPRINT']);
      }
    });
  }

  it('should treat an empty variable as unset', () => {
    const sut = loadAgentConfig({ ...VALID, FLOTILLA_FIREWALL: '', FLOTILLA_RECIPE_USER: '' });

    expect(sut.firewall.backend).to.equal('nft');
    expect(sut.recipes.user).to.equal(undefined);
  });
});
