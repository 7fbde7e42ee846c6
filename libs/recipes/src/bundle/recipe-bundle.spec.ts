import { expect } from 'chai';
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecipeError } from '../errors';
import { RecipeBundleCache } from './recipe-bundle-cache';
import { digestBundle, packRecipeBundle } from './recipe-bundle-packer';
import { resolveStepScript } from './step-script-resolver';

const key = { templateName: 'Lamp', templateVersion: '1.0.0', component: 'Apache' };

function bundleOf(files: { path: string; mode: number; content: string }[]): Buffer {
  return Buffer.from(
    JSON.stringify({ format: 'flotilla-recipe-bundle', version: 1, component: 'Apache', files }),
  );
}

async function expectRecipeError(promise: Promise<unknown>, code: string): Promise<RecipeError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).to.be.instanceOf(RecipeError);
  expect((error as RecipeError).code).to.equal(code);
  return error as RecipeError;
}

describe('recipe bundles', () => {
  let dir: string;
  let template: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-bundle-'));
    template = join(dir, 'template');
    await mkdir(join(template, 'graph/Apache/scripts'), { recursive: true });
    await mkdir(join(template, 'graph/Apache/files/conf'), { recursive: true });
    await writeFile(join(template, 'graph/Apache/scripts/install.sh'), '#!/bin/sh\necho hi\n');
    await writeFile(join(template, 'graph/Apache/scripts/start.sh'), '#!/bin/sh\n');
    await writeFile(join(template, 'graph/Apache/files/conf/httpd.conf'), 'Listen 80\n');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('packRecipeBundle', () => {
    it('should give the same bytes and digest when packing the same files twice', async () => {
      const first = await packRecipeBundle(template, 'Apache');
      const second = await packRecipeBundle(template, 'Apache');
      expect(second.bytes.equals(first.bytes)).to.equal(true);
      expect(first.digest)
        .to.match(/^[0-9a-f]{64}$/)
        .and.equal(second.digest);
    });

    it('should change the digest when a script changes', async () => {
      const before = await packRecipeBundle(template, 'Apache');
      await writeFile(join(template, 'graph/Apache/scripts/start.sh'), '#!/bin/sh\nexit 1\n');
      expect((await packRecipeBundle(template, 'Apache')).digest).not.to.equal(before.digest);
    });

    it('should refuse a component without a scripts folder', async () => {
      await expectRecipeError(packRecipeBundle(template, 'Missing'), 'BUNDLE_SOURCE_MISSING');
    });
  });

  describe('RecipeBundleCache.install', () => {
    it('should unpack scripts as executables and files as they were', async () => {
      const packed = await packRecipeBundle(template, 'Apache');
      const sut = new RecipeBundleCache(join(dir, 'cache'));
      const installed = await sut.install(key, packed.bytes, packed.digest);
      expect((await stat(join(installed, 'scripts/install.sh'))).mode & 0o777).to.equal(0o755);
      expect(await readFile(join(installed, 'files/conf/httpd.conf'), 'utf8')).to.equal(
        'Listen 80\n',
      );
      expect(await sut.cachedDigest(key)).to.equal(packed.digest);
    });

    it('should unpack once when the same bundle is installed several times at once', async () => {
      const packed = await packRecipeBundle(template, 'Apache');
      const sut = new RecipeBundleCache(join(dir, 'cache'));
      const installs = [1, 2, 3].map(() => sut.install(key, packed.bytes, packed.digest));
      const directories = await Promise.all(installs);
      expect(new Set(directories).size).to.equal(1);
      expect(await readdir(join(directories[0], '..'))).to.deep.equal(['Apache']);
    });

    it('should replace a cached bundle when a new digest arrives for the same key', async () => {
      const first = await packRecipeBundle(template, 'Apache');
      const sut = new RecipeBundleCache(join(dir, 'cache'));
      await sut.install(key, first.bytes, first.digest);
      await writeFile(join(template, 'graph/Apache/scripts/start.sh'), '#!/bin/sh\necho v2\n');
      const second = await packRecipeBundle(template, 'Apache');
      const installed = await sut.install(key, second.bytes, second.digest);
      expect(await readFile(join(installed, 'scripts/start.sh'), 'utf8')).to.contain('v2');
      expect(await sut.cachedDigest(key)).to.equal(second.digest);
    });

    it('should refuse a bundle whose digest does not match', async () => {
      const packed = await packRecipeBundle(template, 'Apache');
      const sut = new RecipeBundleCache(join(dir, 'cache'));
      await expectRecipeError(
        sut.install(key, packed.bytes, '0'.repeat(64)),
        'BUNDLE_DIGEST_MISMATCH',
      );
    });

    const unsafePaths = [
      '../escape.sh',
      '/etc/cron.d/x',
      'scripts/../../x',
      'other/x.sh',
      'scripts',
    ];
    for (const path of unsafePaths) {
      it(`should refuse the unsafe path "${path}" and write nothing`, async () => {
        const bytes = bundleOf([{ path, mode: 0o755, content: 'eA==' }]);
        const sut = new RecipeBundleCache(join(dir, 'cache'));
        const error = await expectRecipeError(
          sut.install(key, bytes, digestBundle(bytes)),
          'BUNDLE_INVALID_PATH',
        );
        expect(error.context.field).to.equal('files[0].path');
        expect(await stat(join(dir, 'escape.sh')).catch(() => 'absent')).to.equal('absent');
      });
    }
  });

  describe('resolveStepScript', () => {
    let installed: string;

    beforeEach(async () => {
      const packed = await packRecipeBundle(template, 'Apache');
      installed = await new RecipeBundleCache(join(dir, 'cache')).install(
        key,
        packed.bytes,
        packed.digest,
      );
    });

    const table: [Parameters<typeof resolveStepScript>[1], string | undefined][] = [
      ['deploy', 'install.sh'],
      ['start', 'start.sh'],
      ['stop', undefined],
      ['undeploy', undefined],
      ['update', undefined],
    ];
    for (const [step, file] of table) {
      it(`should resolve step ${step} to ${file ?? 'nothing (a no-op)'}`, async () => {
        const expected = file === undefined ? undefined : join(installed, 'scripts', file);
        expect(await resolveStepScript(installed, step)).to.equal(expected);
      });
    }

    it('should prefer deploy.sh over its install.sh alias', async () => {
      await writeFile(join(installed, 'scripts/deploy.sh'), '#!/bin/sh\n');
      expect(await resolveStepScript(installed, 'deploy')).to.equal(
        join(installed, 'scripts/deploy.sh'),
      );
    });
  });
});
