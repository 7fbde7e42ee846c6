import { expect } from 'chai';
import { mkdtemp, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialsStore } from './credentials-store';

describe(CredentialsStore.name, () => {
  let home: string;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'flotilla-credentials-'));
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  describe('write', () => {
    it('should tighten an existing looser file to 0600', async () => {
      const sut = new CredentialsStore({ HOME: home });
      await mkdir(join(home, '.config', 'flotilla'), { recursive: true });
      await writeFile(sut.path, '{}', { mode: 0o644 });
      await sut.write({ url: 'http://127.0.0.1:8181', token: 'secret' });
      expect((await stat(sut.path)).mode & 0o777).to.equal(0o600);
    });
  });

  describe('resolve', () => {
    it('should prefer FLOTILLA_URL and FLOTILLA_TOKEN to the stored credentials', async () => {
      await new CredentialsStore({ HOME: home }).write({ url: 'http://stored:1', token: 'stored' });
      const sut = new CredentialsStore({
        HOME: home,
        FLOTILLA_URL: 'http://env:2/',
        FLOTILLA_TOKEN: 'env',
      });
      expect(await sut.resolve()).to.deep.equal({ url: 'http://env:2', token: 'env' });
    });

    it('should follow XDG_CONFIG_HOME', () => {
      const sut = new CredentialsStore({ HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') });
      expect(sut.path).to.equal(join(home, 'xdg', 'flotilla', 'credentials.json'));
    });

    it('should name the file and the bad field when the file is not a credentials file', async () => {
      const sut = new CredentialsStore({ HOME: home });
      await mkdir(join(home, '.config', 'flotilla'), { recursive: true });
      await writeFile(sut.path, JSON.stringify({ url: 'not a url', token: 'x' }));
      await sut.resolve().then(
        () => expect.fail('resolve should have failed'),
        (error: Error) => {
          expect(error.message).to.contain(`${sut.path}: not a Flotilla credentials file (url:`);
          expect(error.message).to.contain('run flotilla login');
        },
      );
    });
  });
});
