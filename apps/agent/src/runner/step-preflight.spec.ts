import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepRunPayload } from '@flotilla/protocol';
import { RecipeBundleCache, digestBundle } from '@flotilla/recipes';
import { preflightStep } from './step-preflight';

const BUNDLE_BYTES = Buffer.from(
  JSON.stringify({
    format: 'flotilla-recipe-bundle',
    version: 1,
    component: 'Web',
    files: [
      {
        path: 'scripts/start.sh',
        mode: 0o755,
        content: Buffer.from('#!/bin/sh\n').toString('base64'),
      },
    ],
  }),
);

describe('preflightStep', () => {
  let dir: string;
  let bundles: RecipeBundleCache;
  const digest = digestBundle(BUNDLE_BYTES);
  const ref = { templateName: 't', templateVersion: '1', component: 'Web', digest };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-preflight-'));
    bundles = new RecipeBundleCache(dir);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function command(installer: string, withBundle: boolean): StepRunPayload {
    return {
      jobId: '6f1c5a8e-2b7d-4c1e-9f3a-0d2e4b6a8c10',
      attempt: 1,
      application: 'app',
      instance: { name: 'web', path: '/vm/web', component: 'Web', installer },
      step: 'start',
      ...(withBundle ? { bundle: ref } : {}),
      exports: {},
      randomPorts: [],
      imports: {},
      ancestors: [],
      timeoutMs: 1000,
    };
  }

  const cases: [string, boolean, boolean, string][] = [
    ['script', true, true, 'run'],
    ['bash', true, true, 'run'],
    ['target', false, false, 'run'],
    ['script', true, false, 'BUNDLE_MISSING'],
    ['script', false, false, 'BUNDLE_MISSING'],
    ['puppet', true, true, 'UNSUPPORTED_INSTALLER'],
    ['docker', false, false, 'UNSUPPORTED_INSTALLER'],
  ];
  for (const [installer, withBundle, isCached, expected] of cases) {
    it(`should give ${expected} for installer ${installer}, bundle ${withBundle ? 'named' : 'absent'}, ${isCached ? 'cached' : 'not cached'}`, async () => {
      if (isCached) {
        await bundles.install(ref, BUNDLE_BYTES, digest);
      }

      const sut = await preflightStep(command(installer, withBundle), bundles);

      expect(sut.kind === 'run' ? 'run' : sut.refusal.code).to.equal(expected);
    });
  }

  it('should name the bundle and its digest when it is not cached', async () => {
    const sut = await preflightStep(command('script', true), bundles);

    expect(sut.kind).to.equal('refused');
    expect(sut.kind === 'refused' ? sut.refusal.message : '')
      .to.contain(digest)
      .and.contain('Web');
  });
});
