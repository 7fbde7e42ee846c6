import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentThumbprint } from './run-agent';

describe('agentThumbprint', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-agent-thumbprint-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should create the identity once and print the same 64-hex thumbprint every time', async () => {
    const dataDir = join(dir, 'data');
    const first = await agentThumbprint({ FLOTILLA_AGENT_NAME: 'web-1' }, { dataDir });
    const second = await agentThumbprint({ FLOTILLA_DATA_DIR: dataDir }, { name: 'web-1' });

    expect(first).to.match(/^[0-9a-f]{64}$/);
    expect(second).to.equal(first);
  });

  it('should need no broker setting to print the thumbprint', async () => {
    const thumbprint = await agentThumbprint({}, { dataDir: dir, name: 'db-2' });

    expect(thumbprint).to.have.length(64);
  });
});
