import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap, DmConfigError } from '@flotilla/dm';
import { expect } from 'chai';

describe('bootstrap configuration', () => {
  it('should refuse to start, listing every bad variable, when the configuration is invalid', async () => {
    const dataDir = join(tmpdir(), `flotilla-dm-never-created-${process.pid}`);
    let caught: unknown;
    try {
      await bootstrap({
        env: {
          FLOTILLA_DATA_DIR: dataDir,
          FLOTILLA_PORT: 'http',
          FLOTILLA_AMQP_URL: 'localhost:5672',
          FLOTILLA_MISSED_HEARTBEATS: '0',
        },
      });
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(DmConfigError);
    expect((caught as DmConfigError).problems).to.deep.equal([
      'FLOTILLA_PORT: must be an integer from 1 to 65535',
      'FLOTILLA_AMQP_URL: must be an amqp(s):// URL or a comma-separated list of them',
      'FLOTILLA_MISSED_HEARTBEATS: must be an integer from 1 to 100',
    ]);
    let isCreated = true;
    await access(dataDir).catch(() => (isCreated = false));
    expect(isCreated).to.equal(false);
  });

  it('should name the database without its password when it cannot be reached', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'flotilla-dm-unreachable-'));
    let caught: unknown;
    try {
      await bootstrap({
        env: {
          FLOTILLA_DATA_DIR: dataDir,
          FLOTILLA_DATABASE_URL: 'postgres://flotilla:s3cret@127.0.0.1:1/nowhere',
          FLOTILLA_LOG_LEVEL: 'silent',
        },
        listenPort: 0,
      });
    } catch (error: unknown) {
      caught = error;
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    expect(String(caught)).to.contain('postgres://flotilla:***@127.0.0.1:1/nowhere');
    expect(String(caught)).not.to.contain('s3cret');
  });
});
