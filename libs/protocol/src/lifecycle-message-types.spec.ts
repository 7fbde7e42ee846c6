import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  EnvelopeOpener,
  EnvelopeRejectedError,
  EnvelopeSealer,
  FileTrustStore,
  generateIdentity,
  MemoryReplayCache,
  type Identity,
} from '@flotilla/messaging';
import { createFlotillaRegistry } from './flotilla-registry';
import type { StepResultPayload, StepRunPayload } from './payload.types';

const stepRun = (): StepRunPayload => ({
  jobId: randomUUID(),
  attempt: 1,
  application: 'shop',
  instance: { name: 'db', path: '/vm1/db', component: 'Db', installer: 'script' },
  step: 'deploy',
  bundle: { templateName: 'shop', templateVersion: '1.0', component: 'Db', digest: 'a'.repeat(64) },
  exports: { 'Db.ip': '10.0.0.5', 'Db.port': '5432' },
  randomPorts: [],
  imports: {},
  ancestors: [{ component: 'VM', variables: { 'VM.ip': '10.0.0.5' } }],
  timeoutMs: 60_000,
});

const stepResult = (jobId: string): StepResultPayload => ({
  jobId,
  attempt: 1,
  instancePath: '/vm1/db',
  step: 'start',
  status: 'succeeded',
  exitCode: 0,
  signal: null,
  logTail: 'listening on 5432',
  exports: { 'Db.port': '5432' },
  openPorts: [{ port: 5432, protocol: 'tcp' }],
  startedAt: 1,
  endedAt: 2,
});

describe('lifecycle message types', () => {
  let dm: Identity;
  let agent: Identity;
  let dir: string;
  let trust: FileTrustStore;
  const registry = createFlotillaRegistry();

  before(async () => {
    [dm, agent] = await Promise.all([
      generateIdentity({ name: 'dm' }),
      generateIdentity({ name: 'web1' }),
    ]);
    dir = await mkdtemp(join(tmpdir(), 'flotilla-protocol-'));
    trust = new FileTrustStore(join(dir, 'trust.json'));
    await trust.upsert({
      thumbprint: dm.thumbprint,
      role: 'dm',
      state: 'trusted',
      certificatePem: dm.certificatePem,
    });
    await trust.upsert({
      thumbprint: agent.thumbprint,
      role: 'agent:web1',
      state: 'trusted',
      certificatePem: agent.certificatePem,
    });
  });

  after(() => rm(dir, { recursive: true, force: true }));

  const openerFor = (receiver: Identity) =>
    new EnvelopeOpener(receiver, trust, new MemoryReplayCache(), registry);

  it('should carry a step command from the DM to an agent unchanged', async () => {
    const payload = stepRun();
    const sealed = new EnvelopeSealer(dm, { policy: registry }).seal({
      type: 'dm.step.run.v1',
      recipient: agent.thumbprint,
      payload,
      jobId: payload.jobId,
    });

    const opened = await openerFor(agent).open(sealed.body, {});

    expect(opened.type).to.equal('dm.step.run.v1');
    expect(opened.payload).to.deep.equal(payload);
  });

  it('should carry a step result from an agent to the DM unchanged', async () => {
    const payload = stepResult(randomUUID());
    const sealed = new EnvelopeSealer(agent, { policy: registry }).seal({
      type: 'agent.step.result.v1',
      recipient: dm.thumbprint,
      payload,
    });

    const opened = await openerFor(dm).open(sealed.body, {});

    expect(opened.payload).to.deep.equal(payload);
  });

  it('should refuse a step command signed by an agent', async () => {
    const sealed = new EnvelopeSealer(agent, { policy: registry }).seal({
      type: 'dm.step.run.v1',
      recipient: dm.thumbprint,
      payload: stepRun(),
    });

    const error = await openerFor(dm)
      .open(sealed.body, {})
      .catch((e: unknown) => e);

    expect(error).to.be.instanceOf(EnvelopeRejectedError);
    expect((error as EnvelopeRejectedError).code).to.equal('TYPE_NOT_ALLOWED');
  });

  it('should refuse to seal a step command whose instance path is not a path', () => {
    const sealer = new EnvelopeSealer(dm, { policy: registry });
    const payload = { ...stepRun(), instance: { ...stepRun().instance, path: 'vm1/db' } };

    expect(() =>
      sealer.seal({ type: 'dm.step.run.v1', recipient: agent.thumbprint, payload }),
    ).to.throw(/instance\.path|path/);
  });

  it('should carry an agentless step and its set-up failure unchanged', async () => {
    const payload: StepRunPayload = {
      ...stepRun(),
      agentless: {
        host: '10.0.0.9',
        port: 2222,
        user: 'deploy',
        hostKeyFingerprint: `SHA256:${'A'.repeat(43)}`,
        credential: { kind: 'proxy-key', keyName: 'id_ed25519' },
        useSudo: true,
        firewall: { backend: 'nft', isManaged: false },
      },
    };
    const result: StepResultPayload = {
      ...stepResult(payload.jobId),
      status: 'failed',
      setup: {
        target: 'deploy@10.0.0.9:2222',
        log: ['connecting'],
        failure: { phase: 'connect', code: 'SSH_UNREACHABLE', message: 'timed out' },
      },
    };
    const command = new EnvelopeSealer(dm, { policy: registry }).seal({
      type: 'dm.step.run.v1',
      recipient: agent.thumbprint,
      payload,
    });
    const report = new EnvelopeSealer(agent, { policy: registry }).seal({
      type: 'agent.step.result.v1',
      recipient: dm.thumbprint,
      payload: result,
    });

    expect((await openerFor(agent).open(command.body, {})).payload).to.deep.equal(payload);
    expect((await openerFor(dm).open(report.body, {})).payload).to.deep.equal(result);
  });

  it('should refuse to seal an agentless step whose host key is not a SHA-256 fingerprint', () => {
    const sealer = new EnvelopeSealer(dm, { policy: registry });
    const payload = {
      ...stepRun(),
      agentless: {
        host: '10.0.0.9',
        port: 22,
        user: 'root',
        hostKeyFingerprint: 'MD5:aa:bb',
        credential: { kind: 'proxy-key' },
        useSudo: false,
        firewall: { backend: 'none', isManaged: false },
      },
    };

    expect(() =>
      sealer.seal({ type: 'dm.step.run.v1', recipient: agent.thumbprint, payload }),
    ).to.throw(/hostKeyFingerprint/);
  });

  it('should register the core and lifecycle types in one allowlist', () => {
    expect(registry.types()).to.include.members([
      'agent.enrollment.request.v1',
      'agent.heartbeat.v1',
      'dm.step.run.v1',
      'agent.step.result.v1',
      'agent.inventory.v1',
      'dm.recipe.bundle.v1',
      'agent.capabilities.v1',
    ]);
  });
});
