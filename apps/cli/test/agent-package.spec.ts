import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { AgentPackageFiles } from '../src/agent-install/agent-package-files';
import { buildAgentPackage } from '../src/agent-install/agent-package';

const AGENT_DIST = resolve(__dirname, '../../agent/dist/index.js');
const run = promisify(execFile);

describe(AgentPackageFiles.name, () => {
  describe('collect', () => {
    before(function () {
      if (!existsSync(AGENT_DIST)) {
        // The closure is read from built files: a fresh checkout builds first (npm test does).
        throw new Error(`${AGENT_DIST} is missing: run npm run build`);
      }
    });

    it('should ship the agent, the libs it requires and their external dependencies', () => {
      const { entries } = AgentPackageFiles.collect('@flotilla/agent', __dirname);

      const names = entries.map((entry) => entry.name);
      expect(names).to.include.members([
        '@flotilla/agent',
        '@flotilla/messaging',
        '@flotilla/protocol',
        '@flotilla/recipes',
        'amqplib',
        'zod',
        'pino',
        '@peculiar/x509',
        'ssh2',
      ]);
    });

    it('should leave out what only the DM and the CLI use (Nest, TypeORM, pg, commander)', () => {
      const { entries } = AgentPackageFiles.collect('@flotilla/agent', __dirname);

      const names = entries.map((entry) => entry.name);
      for (const excluded of [
        '@nestjs/core',
        '@nestjs/microservices',
        'typeorm',
        'pg',
        'commander',
      ]) {
        expect(names).to.not.include(excluded);
      }
    });

    it('should ship only built JavaScript of the workspaces, never their sources or specs', () => {
      const { entries } = AgentPackageFiles.collect('@flotilla/agent', __dirname);

      const agent = entries.find((entry) => entry.name === '@flotilla/agent');
      expect(agent?.targetDir).to.equal('node_modules/@flotilla/agent');
      expect(agent?.files).to.include('package.json').and.include('dist/index.js');
      expect(
        agent?.files?.filter((file) => file !== 'package.json').every((f) => f.startsWith('dist/')),
      ).to.equal(true);
      expect(agent?.files?.some((file) => file.endsWith('.spec.js'))).to.equal(false);
    });
  });

  describe(buildAgentPackage.name, () => {
    let dir: string;

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'flotilla-agent-package-'));
    });

    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('should make an archive whose launcher runs with a plain node outside the repository', async () => {
      const built = await buildAgentPackage(__dirname);
      const archive = join(dir, 'agent.tar.gz');
      await writeFile(archive, built.archive);
      await run('tar', ['-xzf', archive, '-C', dir]);

      const { stdout } = await run(
        process.execPath,
        [join(dir, 'bin/flotilla-agent.js'), '--print-thumbprint'],
        {
          cwd: dir,
          env: {
            PATH: '/usr/bin:/bin',
            FLOTILLA_DATA_DIR: join(dir, 'data'),
            FLOTILLA_AGENT_NAME: 'pkg',
          },
        },
      );

      expect(stdout).to.match(/^[0-9a-f]{64}\n$/);
      expect(built.repoRoot).to.equal(resolve(__dirname, '../../..'));
    });
  });
});
