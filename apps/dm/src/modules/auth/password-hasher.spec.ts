import { expect } from 'chai';
import { PasswordHasher } from './password-hasher';

describe(PasswordHasher.name, () => {
  const sut = new PasswordHasher();

  describe('verify', () => {
    it('should accept the password when it was the one hashed', async () => {
      const hash = await sut.hash('s3cret pass phrase');
      expect(hash).to.match(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
      expect(await sut.verify('s3cret pass phrase', hash)).to.equal(true);
    });

    it('should refuse another password and a malformed hash', async () => {
      const hash = await sut.hash('s3cret pass phrase');
      expect(await sut.verify('s3cret pass phrasE', hash)).to.equal(false);
      expect(await sut.verify('s3cret pass phrase', 'md5$abc')).to.equal(false);
    });

    it('should salt each hash when the same password is hashed twice', async () => {
      expect(await sut.hash('same')).not.to.equal(await sut.hash('same'));
    });
  });
});
