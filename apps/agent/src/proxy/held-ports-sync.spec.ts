import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createFirewall, PortLedger, type Firewall } from '@flotilla/recipes';
import { syncHeldPorts } from './held-ports-sync';

const tcp = (port: number) => ({ port, protocol: 'tcp' as const });

describe('syncHeldPorts', () => {
  let dir: string;
  let firewall: Firewall;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-held-ports-'));
    firewall = createFirewall('none', { ledger: new PortLedger(join(dir, 'ledger.json')) });
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('should adopt the ports the DM recorded and drop those it no longer records', async () => {
    await firewall.open(tcp(8080), '/vm/old');
    await firewall.open(tcp(9090), '/vm/kept');

    const change = await syncHeldPorts(
      firewall,
      [
        { owner: '/vm/old', rules: [] },
        { owner: '/vm/kept', rules: [tcp(9090)] },
        { owner: '/vm/new', rules: [tcp(18090)] },
      ],
      () => false,
    );

    expect(change).to.deep.equal({ opened: ['/vm/new 18090/tcp'], closed: ['/vm/old 8080/tcp'] });
    const held = (await firewall.list()).filter((entry) => entry.rules.length > 0);
    expect(held.map((entry) => [entry.owner, entry.rules])).to.have.deep.members([
      ['/vm/kept', [tcp(9090)]],
      ['/vm/new', [tcp(18090)]],
    ]);
  });

  it('should leave an instance alone while a step of it runs on this proxy', async () => {
    await firewall.open(tcp(8080), '/vm/busy');

    const change = await syncHeldPorts(
      firewall,
      [{ owner: '/vm/busy', rules: [] }],
      (owner) => owner === '/vm/busy',
    );

    expect(change).to.deep.equal({ opened: [], closed: [] });
    expect(
      (await firewall.list()).find((entry) => entry.owner === '/vm/busy')?.rules,
    ).to.deep.equal([tcp(8080)]);
  });
});
