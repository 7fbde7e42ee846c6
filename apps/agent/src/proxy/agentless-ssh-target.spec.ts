import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { encryptPayload, generateIdentity, type Identity } from '@flotilla/messaging';
import type { AgentlessTargetPayload } from '@flotilla/protocol';
import { AgentlessCredentialError, toSshTarget } from './agentless-ssh-target';
import { ProxyKeys } from './proxy-keys';

const JOB_ID = '6f1c1a5e-4a0c-4d7e-9a55-0c8a3c1c2b11';

function block(credential: AgentlessTargetPayload['credential']): AgentlessTargetPayload {
  return {
    host: '10.0.0.9',
    port: 2222,
    user: 'deploy',
    hostKeyFingerprint: `SHA256:${'B'.repeat(43)}`,
    credential,
    useSudo: true,
    firewall: { backend: 'nft', isManaged: false },
  };
}

describe('toSshTarget', () => {
  let dm: Identity;
  let proxy: Identity;
  let dir: string;
  let keys: ProxyKeys;

  before(async () => {
    [dm, proxy] = await Promise.all([
      generateIdentity({ name: 'dm' }),
      generateIdentity({ name: 'proxy-1' }),
    ]);
    dir = await mkdtemp(join(tmpdir(), 'flotilla-proxy-keys-'));
    await writeFile(join(dir, 'id_first'), 'first key');
    await writeFile(join(dir, 'id_second'), 'second key');
    keys = await ProxyKeys.load([join(dir, 'id_first'), join(dir, 'id_second')]);
  });

  after(() => rm(dir, { recursive: true, force: true }));

  const context = () => ({ keys, identity: proxy, dmThumbprint: dm.thumbprint });

  it('should log in with the named key, or the first key when none is named', () => {
    const named = toSshTarget(
      block({ kind: 'proxy-key', keyName: 'id_second' }),
      JOB_ID,
      context(),
    );
    const first = toSshTarget(block({ kind: 'proxy-key' }), JOB_ID, context());

    expect(named.credential).to.deep.equal({ kind: 'private-key', privateKey: 'second key' });
    expect(first.credential).to.deep.equal({ kind: 'private-key', privateKey: 'first key' });
    expect(named).to.include({ host: '10.0.0.9', port: 2222, user: 'deploy', useSudo: true });
  });

  it('should name the missing key and the keys it holds when the DM asks for another one', () => {
    expect(() =>
      toSshTarget(block({ kind: 'proxy-key', keyName: 'id_other' }), JOB_ID, context()),
    ).to.throw(AgentlessCredentialError, /id_other.*id_first, id_second/);
  });

  it('should decrypt a password the DM encrypted to this proxy for this job', () => {
    const sealed = encryptPayload(Buffer.from('s3cret pass'), proxy.encryptionPublicKey, {
      senderThumbprint: dm.thumbprint,
      recipientThumbprint: proxy.thumbprint,
      messageId: JOB_ID,
    });
    const credential = {
      kind: 'password' as const,
      ciphertext: sealed.ciphertext.toString('base64'),
      ephemeralPublicKey: sealed.ephemeralPublicKey,
    };

    expect(toSshTarget(block(credential), JOB_ID, context()).credential).to.deep.equal({
      kind: 'password',
      password: 's3cret pass',
    });
    expect(() => toSshTarget(block(credential), `${JOB_ID.slice(0, -1)}2`, context())).to.throw(
      AgentlessCredentialError,
      /cannot be decrypted/,
    );
  });
});
