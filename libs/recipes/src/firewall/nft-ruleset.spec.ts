import { expect } from 'chai';
import { buildNftInstallBatch, portElements, toNftDocument } from './nft-ruleset';

type Command = Record<string, Record<string, Record<string, unknown>>>;

function chainOf(batch: Command[]): Record<string, unknown> | undefined {
  return batch.find((command) => command.add?.chain)?.add.chain;
}

function ruleMatches(batch: Command[]): unknown[] {
  return batch
    .filter((command) => command.add?.rule)
    .map((command) => (command.add.rule.expr as { match: unknown }[])[0].match);
}

describe('buildNftInstallBatch', () => {
  const open = [
    { port: 8080, protocol: 'tcp' as const },
    { port: 53, protocol: 'udp' as const },
  ];
  const alwaysOpen = [{ port: 22, protocol: 'tcp' as const }];

  const policies: [boolean, string, number][] = [
    [true, 'drop', 7],
    [false, 'accept', 2],
  ];
  for (const [isManaged, policy, ruleCount] of policies) {
    it(`should give the input chain policy ${policy} and ${ruleCount} rules when managed is ${isManaged}`, () => {
      const batch = buildNftInstallBatch(open, alwaysOpen, isManaged) as Command[];
      expect(chainOf(batch)).to.include({ hook: 'input', type: 'filter', policy });
      expect(ruleMatches(batch)).to.have.length(ruleCount);
    });
  }

  it('should add, delete and re-add the table first so the batch works whether it exists or not', () => {
    const batch = buildNftInstallBatch([], [], true) as Command[];
    expect(batch.slice(0, 3).map((command) => Object.keys(command)[0])).to.deep.equal([
      'add',
      'delete',
      'add',
    ]);
    expect(batch[1].delete.table).to.deep.equal({ family: 'inet', name: 'flotilla' });
  });

  it('should put open and always-open ports in their own per-protocol sets', () => {
    const batch = buildNftInstallBatch(open, alwaysOpen, true) as Command[];
    const elements = batch
      .filter((command) => command.add?.element)
      .map((command) => [command.add.element.name, command.add.element.elem]);
    expect(elements).to.deep.equal([
      ['open_tcp', [8080]],
      ['open_udp', [53]],
      ['always_tcp', [22]],
    ]);
  });

  it('should accept loopback, established traffic and IPv6 neighbour discovery in managed mode', () => {
    const text = JSON.stringify(ruleMatches(buildNftInstallBatch([], [], true) as Command[]));
    expect(text)
      .to.contain('"iifname"')
      .and.contain('"established"')
      .and.contain('nd-neighbor-solicit');
  });
});

describe('portElements', () => {
  it('should give no command for no port, so nothing is sent to nft', () => {
    expect(portElements([])).to.deep.equal([]);
  });

  it('should wrap commands in an nftables document with its schema version', () => {
    const document = JSON.parse(toNftDocument([])) as { nftables: unknown[] };
    expect(document.nftables).to.deep.equal([{ metainfo: { json_schema_version: 1 } }]);
  });
});
