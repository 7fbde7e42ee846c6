import { expect } from 'chai';
import { checkStartable, parseHostFacts, type HostFacts } from './host-probe';

const LABEL = 'root@web-1:22';

describe(parseHostFacts.name, () => {
  it('should read node, its version, the hostname and systemd from the probe output', () => {
    const facts = parseHostFacts('/usr/bin/node\n20.20.2\nweb-1\nyes\nactive\n', LABEL);

    expect(facts).to.deep.equal({
      nodePath: '/usr/bin/node',
      nodeVersion: '20.20.2',
      hostname: 'web-1',
      hasSystemd: true,
      isUnitActive: true,
    });
  });

  it('should say there is no systemd when the probe says no', () => {
    expect(parseHostFacts('/usr/local/bin/node\n22.1.0\nweb-1\nno\n', LABEL).hasSystemd).to.equal(
      false,
    );
  });

  it('should fail naming the host and the Node it needs when node is absent', () => {
    expect(() => parseHostFacts('\n\nweb-1\nno\n', LABEL)).to.throw(
      'No node on root@web-1:22 (command -v node found nothing): install Node.js 20 or later',
    );
  });

  it('should fail naming the found version when node is older than 20', () => {
    expect(() => parseHostFacts('/usr/bin/node\n18.19.0\nweb-1\nno\n', LABEL)).to.throw(
      'Node 18.19.0 at /usr/bin/node on root@web-1:22 is too old',
    );
  });
});

describe(checkStartable.name, () => {
  const facts: HostFacts = {
    nodePath: '/usr/bin/node',
    nodeVersion: '20.20.2',
    hostname: 'web-1',
    hasSystemd: true,
    isUnitActive: true,
  };

  it('should refuse a direct start (--no-systemd) while the unit runs', () => {
    expect(() => checkStartable(facts, false, LABEL)).to.throw(
      'flotilla-agent.service is running on root@web-1:22',
    );
  });

  it('should allow a reinstall under systemd while the unit runs', () => {
    expect(() => checkStartable(facts, true, LABEL)).to.not.throw();
  });

  it('should allow a direct start when the unit does not run', () => {
    expect(() => checkStartable({ ...facts, isUnitActive: false }, false, LABEL)).to.not.throw();
  });
});
