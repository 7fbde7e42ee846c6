import { expect } from 'chai';
import fc from 'fast-check';
import { EnvelopeOpener } from './envelope-opener';
import { EnvelopeRejectedError, type EnvelopeRejectionCode } from './envelope-rejected.error';
import { createRsaCertificate } from '../identity/rsa-certificate';
import { readCertificate } from '../identity/certificate-key';
import { thumbprintOf } from '../identity/thumbprint';
import { generateIdentity } from '../identity/generate-identity';
import {
  createReceiverWorld,
  rejectionOf,
  rewriteEnvelope,
  shareParties,
  trustAgent,
  type Parties,
  type ReceiverWorld,
} from '../testing/messaging-world.spec';

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe(`${EnvelopeOpener.name} against tampering and downgrades`, () => {
  let parties: Parties;
  let world: ReceiverWorld;

  before(async () => {
    parties = await shareParties();
  });

  beforeEach(async () => {
    world = await createReceiverWorld(parties.dm);
    await trustAgent(world, parties.web1);
    await trustAgent(world, parties.rsaAgent);
  });

  afterEach(async () => {
    await world.cleanup();
  });

  function heartbeatBody(sender = parties.web1): Buffer {
    return world.sealerFor(sender).seal({
      type: 'agent.heartbeat.v1',
      recipient: parties.dm.thumbprint,
      payload: { sequence: 7, uptimeMs: 42 },
    }).body;
  }

  describe('open', () => {
    for (const signer of ['web1', 'rsaAgent'] as const) {
      it(`should reject every single-character change of a ${signer} envelope`, async () => {
        const body = heartbeatBody(parties[signer]).toString();
        await fc.assert(
          fc.asyncProperty(
            fc.nat({ max: body.length - 1 }),
            fc.constantFrom(...BASE64URL_ALPHABET, '"', '{', ' '),
            async (position, replacement) => {
              fc.pre(body[position] !== replacement);
              const tampered = body.slice(0, position) + replacement + body.slice(position + 1);
              await rejectionOf(world.sut.open(Buffer.from(tampered)), EnvelopeRejectedError);
            },
          ),
          { numRuns: 300 },
        );
      });
    }

    it('should reject a non-canonical signature encoding that decodes to the same bytes', async () => {
      const body = rewriteEnvelope(heartbeatBody(), ({ wire }) => {
        const sig = wire.sig ?? '';
        const last = BASE64URL_ALPHABET.indexOf(sig.slice(-1));
        wire.sig = sig.slice(0, -1) + (BASE64URL_ALPHABET[last ^ 1] ?? '');
      });

      const error = await rejectionOf(world.sut.open(body), EnvelopeRejectedError);

      expect(error.code).to.equal('ENVELOPE_MALFORMED');
    });

    const versions: Array<[number, unknown, EnvelopeRejectionCode | 'accepted']> = [
      [1, 0, 'VERSION_TOO_OLD'],
      [1, -1, 'VERSION_TOO_OLD'],
      [1, 1, 'accepted'],
      [1, 2, 'VERSION_UNSUPPORTED'],
      [1, '1', 'ENVELOPE_SCHEMA'],
      [2, 1, 'VERSION_TOO_OLD'],
      [2, 0, 'VERSION_TOO_OLD'],
    ];
    for (const [minProtocolVersion, attackVersion, expected] of versions) {
      it(`should answer ${expected} for version ${JSON.stringify(attackVersion)} when the minimum is ${minProtocolVersion}`, async () => {
        const sut = new EnvelopeOpener(parties.dm, world.trust, world.replay, world.registry, {
          minProtocolVersion,
          clock: world.clock,
        });
        const sealed = heartbeatBody();
        const body =
          attackVersion === 1
            ? sealed
            : rewriteEnvelope(sealed, ({ header }) => {
                header.v = attackVersion;
              });

        if (expected === 'accepted') {
          expect((await sut.open(body)).type).to.equal('agent.heartbeat.v1');
          return;
        }
        const error = await rejectionOf(sut.open(body), EnvelopeRejectedError);
        expect(error.code).to.equal(expected);
      });
    }

    it('should reject an enrollment carrying a certificate with a key under 2048 bits', async () => {
      const weak = createRsaCertificate('weak', new Date(), 1024);
      const der = Buffer.from(weak.certificatePem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
      const enrollment = world.sealerFor(parties.stranger).seal({
        type: 'agent.enrollment.request.v1',
        recipient: parties.dm.thumbprint,
        payload: {
          agentName: 'weak',
          encryptionPublicKey: parties.stranger.encryptionPublicKeyText,
        },
      });
      const body = rewriteEnvelope(enrollment.body, ({ header }) => {
        header.x5c = der.toString('base64');
        header.kid = thumbprintOf(der);
        header.iss = 'weak';
      });
      expect(() => readCertificate(weak.certificatePem, 'weak')).to.throw(/2048/);

      const error = await rejectionOf(world.sut.open(body), EnvelopeRejectedError);

      expect(error.code).to.equal('SIGNATURE_INVALID');
      expect(error.message).to.contain('2048');
    });

    it('should reject with CERTIFICATE_EXPIRED when the signer certificate is outside its validity', async () => {
      const old = await generateIdentity({ name: 'old1', now: new Date(Date.UTC(2020, 0, 1)) });
      await trustAgent(world, old);

      const error = await rejectionOf(world.sut.open(heartbeatBody(old)), EnvelopeRejectedError);

      expect(error.code).to.equal('CERTIFICATE_EXPIRED');
      expect(error.message).to.contain('to 2020-12-31');
    });
  });
});
