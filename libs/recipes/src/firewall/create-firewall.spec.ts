import { expect } from 'chai';
import { createFirewall, FIREWALL_BACKEND_NAMES } from './create-firewall';
import { IptablesFirewall } from './iptables-firewall';
import { NftFirewall } from './nft-firewall';
import { NoFirewall } from './no-firewall';
import { PortLedger } from './port-ledger';

describe('createFirewall', () => {
  const table = [
    ['nft', NftFirewall],
    ['iptables', IptablesFirewall],
    ['none', NoFirewall],
  ] as const;
  for (const [name, type] of table) {
    it(`should create a ${type.name} for backend "${name}"`, () => {
      expect(
        createFirewall(name, { ledger: new PortLedger('/nonexistent/ledger.json') }),
      ).to.be.instanceOf(type);
    });
  }

  it('should list every backend it can create', () => {
    expect(FIREWALL_BACKEND_NAMES).to.deep.equal(table.map(([name]) => name));
  });
});
