import { expect } from 'chai';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecipeError } from '../errors';
import { PortLedger } from './port-ledger';

describe(PortLedger.name, () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-ledger-'));
    file = join(dir, 'state', 'ledger.json');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('save and load', () => {
    it('should give back what another ledger object saved, and leave no temporary file', async () => {
      const first = new PortLedger(file);
      first.add('/vm/web', { port: 8080, protocol: 'tcp' });
      first.add('/vm/web', { port: 8080, protocol: 'tcp' });
      first.add('/vm/dns', { port: 53, protocol: 'udp' });
      await first.save();
      const sut = new PortLedger(file);
      await sut.load();
      expect(sut.entries()).to.deep.equal([
        { owner: '/vm/dns', rules: [{ port: 53, protocol: 'udp' }] },
        { owner: '/vm/web', rules: [{ port: 8080, protocol: 'tcp' }] },
      ]);
      expect(await readdir(join(dir, 'state'))).to.deep.equal(['ledger.json']);
    });

    it('should start empty when the file does not exist', async () => {
      const sut = new PortLedger(file);
      await sut.load();
      expect(sut.allRules()).to.deep.equal([]);
    });

    it('should refuse a corrupt file with LEDGER_CORRUPT naming the file', async () => {
      await writeFile(join(dir, 'bad.json'), '{"version":1,"owners":{"/vm/x":["99999/tcp"]}}');
      const sut = new PortLedger(join(dir, 'bad.json'));
      const error: unknown = await sut.load().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(RecipeError);
      expect((error as RecipeError).code).to.equal('LEDGER_CORRUPT');
      expect((error as RecipeError).message)
        .to.contain('bad.json')
        .and.contain('99999/tcp');
    });
  });

  describe('isHeldByOther', () => {
    it('should tell whether another owner still holds a shared port', () => {
      const sut = new PortLedger(file);
      sut.add('/vm/a', { port: 80, protocol: 'tcp' });
      sut.add('/vm/b', { port: 80, protocol: 'tcp' });
      expect(sut.isHeldByOther({ port: 80, protocol: 'tcp' }, '/vm/a')).to.equal(true);
      sut.remove('/vm/b', { port: 80, protocol: 'tcp' });
      expect(sut.isHeldByOther({ port: 80, protocol: 'tcp' }, '/vm/a')).to.equal(false);
      expect(sut.entries().map((entry) => entry.owner)).to.deep.equal(['/vm/a']);
    });
  });
});
