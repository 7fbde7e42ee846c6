import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..', '..');
const BINARY = resolve(ROOT, 'apps', 'cli', 'bin', 'flotilla.js');
const FIXTURES = resolve(ROOT, 'libs', 'model', 'fixtures');

describe('flotilla validate (built binary)', () => {
  before(async function () {
    // npm test builds first; when run alone, build the CLI and what it depends on.
    if (!existsSync(resolve(ROOT, 'apps', 'cli', 'dist', 'main.js'))) {
      this.timeout(300_000);
      await run('npx', ['tsc', '-b', 'apps/cli/tsconfig.build.json'], { cwd: ROOT });
    }
  });

  it('should exit 0 and print the summary for the three-tier template', async () => {
    const { stdout } = await run('node', [BINARY, 'validate', resolve(FIXTURES, 'three-tier')]);
    expect(stdout).to.equal(
      "valid template 'three-tier' 1.0.0: 4 components, 0 facets, 6 instances\n",
    );
  });

  it('should exit 1 and print positioned errors for a broken template', async () => {
    const failure = await run('node', [
      BINARY,
      'validate',
      resolve(FIXTURES, 'broken', 'cycles'),
    ]).then(
      () => undefined,
      (error: unknown) => error as { code: number; stdout: string },
    );
    expect(failure?.code).to.equal(1);
    expect(failure?.stdout).to.contain(
      'graph/main.graph:16:1: cycle in extends between components: Base -> Derived -> Base\n',
    );
  });

  it('should validate a .tar.gz archive of a template and remove what it extracted', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'flotilla-validate-archive-'));
    const extracted = (): string[] =>
      readdirSync(tmpdir()).filter((name) => name.startsWith('flotilla-template-'));
    try {
      const archive = join(directory, 'shop.tgz');
      await run('tar', ['-czf', archive, '-C', FIXTURES, 'three-tier']);
      const before = extracted().length;
      const { stdout } = await run('node', [BINARY, 'validate', archive, '--json']);
      const report = JSON.parse(stdout) as { valid: boolean; name: string; instances: number };
      expect([report.valid, report.name, report.instances]).to.deep.equal([true, 'three-tier', 6]);
      expect(extracted().length).to.equal(before);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
