import { expect } from 'chai';
import { parseNftListing } from './nft-listing';

/** Shaped like real `nft -j list table inet flotilla` output (nftables 1.0.6). */
function listing(items: unknown[]): string {
  return JSON.stringify({
    nftables: [
      { metainfo: { version: '1.0.6', json_schema_version: 1 } },
      { table: { family: 'inet', name: 'flotilla', handle: 3 } },
      ...items,
    ],
  });
}

const chain = { chain: { family: 'inet', table: 'flotilla', name: 'input', handle: 5 } };
const openTcp = { set: { family: 'inet', name: 'open_tcp', table: 'flotilla', elem: [8080, 443] } };
const openUdp = { set: { family: 'inet', name: 'open_udp', table: 'flotilla' } };
const alwaysTcp = { set: { family: 'inet', name: 'always_tcp', table: 'flotilla', elem: [22] } };
const foreignRule = {
  rule: {
    family: 'inet',
    table: 'flotilla',
    chain: 'input',
    expr: [
      { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 9999 } },
      { accept: null },
    ],
  },
};

describe('parseNftListing', () => {
  it('should read the open sets as open everywhere, ignoring the always-open set', () => {
    const snapshot = parseNftListing(listing([openTcp, openUdp, alwaysTcp, chain]));
    const expected = [
      { port: 8080, protocol: 'tcp' },
      { port: 443, protocol: 'tcp' },
    ];
    expect(snapshot).to.deep.equal({ everywhere: expected, anywhere: [expected[1], expected[0]] });
  });

  it('should count a literal port rule added to its chain as open, so reconcile reports it', () => {
    const snapshot = parseNftListing(listing([openUdp, chain, foreignRule]));
    expect(snapshot?.everywhere).to.deep.equal([]);
    expect(snapshot?.anywhere).to.deep.equal([{ port: 9999, protocol: 'tcp' }]);
  });

  it('should say the table needs a rebuild when its input chain is missing', () => {
    expect(parseNftListing(listing([openTcp]))).to.equal(undefined);
  });
});
