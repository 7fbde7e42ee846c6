import { MAX_CACHED_CERTIFICATES } from '../messaging.constants';
import { readCertificate, type CertificateFacts } from '../identity/certificate-key';

/**
 * Bounded cache of parsed certificates keyed by their PEM text. A certificate's content never
 * changes, so caching it cannot serve stale trust: trust state is always read from the store.
 */
export class CertificateKeyCache {
  private readonly cache = new Map<string, CertificateFacts>();

  /** Returns the parsed facts of a certificate, parsing it on first use. */
  factsOf(certificatePem: string): CertificateFacts {
    let facts = this.cache.get(certificatePem);
    if (facts === undefined) {
      facts = readCertificate(certificatePem, 'trusted certificate');
      if (this.cache.size >= MAX_CACHED_CERTIFICATES) {
        this.cache.delete(this.cache.keys().next().value as string);
      }
      this.cache.set(certificatePem, facts);
    }
    return facts;
  }
}
