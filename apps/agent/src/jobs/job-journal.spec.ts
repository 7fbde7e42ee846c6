import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepResultPayload } from '@flotilla/protocol';
import { JobJournal } from './job-journal';

describe(JobJournal.name, () => {
  let dir: string;
  let sut: JobJournal;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-job-journal-'));
    sut = new JobJournal(dir);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function entry(jobId = randomUUID()) {
    return { jobId, attempt: 1, instancePath: '/vm/web', step: 'start' as const, acceptedAt: 1 };
  }

  function resultOf(jobId: string): StepResultPayload {
    return {
      jobId,
      attempt: 1,
      instancePath: '/vm/web',
      step: 'start',
      status: 'succeeded',
      exitCode: 0,
      signal: null,
      logTail: 'ok',
      exports: {},
      openPorts: [],
      startedAt: 1,
      endedAt: 2,
    };
  }

  describe('begin', () => {
    it('should list a begun job as running until it is finished', async () => {
      const begun = entry();
      await sut.begin(begun);

      expect((await sut.running()).map((job) => job.jobId)).to.deep.equal([begun.jobId]);

      await sut.finish({ ...begun, status: 'running' }, resultOf(begun.jobId));
      expect(await sut.running()).to.deep.equal([]);
      expect((await sut.get(begun.jobId))?.result?.status).to.equal('succeeded');
    });

    it('should keep the journal private to the agent (0600)', async () => {
      const begun = entry();
      await sut.begin(begun);

      const info = await stat(join(dir, 'jobs', `${begun.jobId}.json`));
      expect(info.mode & 0o777).to.equal(0o600);
    });
  });

  describe('get', () => {
    it('should return undefined for a job it never saw', async () => {
      expect(await sut.get(randomUUID())).to.equal(undefined);
    });

    it('should refuse a job id that is not a uuid (no path escapes the journal)', async () => {
      let error: unknown;
      try {
        await sut.get('../../etc/passwd');
      } catch (caught: unknown) {
        error = caught;
      }
      expect(error).to.be.instanceOf(Error);
    });

    it('should name the file and the field of a corrupt entry', async () => {
      const jobId = randomUUID();
      await sut.begin(entry(jobId));
      await writeFile(join(dir, 'jobs', `${jobId}.json`), JSON.stringify({ jobId, status: 'odd' }));

      let message = '';
      try {
        await sut.get(jobId);
      } catch (caught: unknown) {
        message = String(caught);
      }
      expect(message).to.contain(`${jobId}.json`).and.to.contain('field');
    });
  });
});
