import { expect } from 'chai';
import { EnvelopeOpener } from '../envelope/envelope-opener';
import { EnvelopeRejectedError } from '../envelope/envelope-rejected.error';
import {
  createReceiverWorld,
  rejectionOf,
  rewriteEnvelope,
  shareParties,
  trustAgent,
  type Parties,
  type ReceiverWorld,
} from '../testing/messaging-world.spec';
import { readCertificate } from './certificate-key';
import { signBytes } from './signature';
import { WorkerSignatureVerifier } from './worker-signature-verifier';

describe(WorkerSignatureVerifier.name, () => {
  let parties: Parties;
  let sut: WorkerSignatureVerifier;

  before(async () => {
    parties = await shareParties();
  });

  beforeEach(() => {
    sut = new WorkerSignatureVerifier({ workers: 2 });
  });

  afterEach(async () => {
    await sut.close();
  });

  describe('verify', () => {
    for (const name of ['web1', 'rsaAgent'] as const) {
      it(`should accept a valid signature and refuse a tampered one when the key is ${name}'s`, async () => {
        const identity = parties[name];
        const publicKey = readCertificate(identity.certificatePem, 'test').publicKey;
        const data = Buffer.from('the exact signed bytes');
        const signature = signBytes(data, identity.privateKey);

        const results = await Promise.all([
          sut.verify(data, signature, publicKey),
          sut.verify(Buffer.from('the exact signed bytez'), signature, publicKey),
          sut.verify(data, signature.subarray(1), publicKey),
        ]);

        expect(results).to.deep.equal([true, false, false]);
      });
    }

    it('should refuse a signature made by another key', async () => {
      const data = Buffer.from('payload');
      const signature = signBytes(data, parties.stranger.privateKey);
      const publicKey = readCertificate(parties.web1.certificatePem, 'test').publicKey;

      expect(await sut.verify(data, signature, publicKey)).to.equal(false);
    });
  });

  describe('EnvelopeOpener with a worker verifier', () => {
    let world: ReceiverWorld;

    beforeEach(async () => {
      world = await createReceiverWorld(parties.dm);
      await trustAgent(world, parties.web1);
    });

    afterEach(async () => {
      await world.cleanup();
    });

    it('should open a valid envelope and refuse a tampered one with SIGNATURE_INVALID', async () => {
      const opener = new EnvelopeOpener(parties.dm, world.trust, world.replay, world.registry, {
        clock: world.clock,
        verifier: sut,
      });
      const seal = () =>
        world.sealerFor(parties.web1).seal({
          type: 'agent.heartbeat.v1',
          recipient: parties.dm.thumbprint,
          payload: { sequence: 1, uptimeMs: 1000 },
        });
      const tampered = rewriteEnvelope(seal().body, ({ wire }) => {
        wire.payload = Buffer.from('{"sequence":2,"uptimeMs":1000}').toString('base64url');
      });

      const opened = await opener.open(seal().body);
      const error = await rejectionOf(opener.open(tampered), EnvelopeRejectedError);

      expect(opened.payload).to.deep.equal({ sequence: 1, uptimeMs: 1000 });
      expect(error.code).to.equal('SIGNATURE_INVALID');
    });
  });
});
