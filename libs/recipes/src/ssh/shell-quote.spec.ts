import { expect } from 'chai';
import { quoteShellCommand, quoteShellWord, renderEnvironmentFile } from './shell-quote';
import { SshError } from './ssh.errors';

describe('shell-quote', () => {
  describe(quoteShellWord.name, () => {
    const cases: [string, string][] = [
      ['/tmp/flotilla-step.abc/run-step', '/tmp/flotilla-step.abc/run-step'],
      ['', "''"],
      ['two words', "'two words'"],
      ["it's", `'it'\\''s'`],
      ['$(reboot)', "'$(reboot)'"],
      ['`id`;rm -rf /', "'`id`;rm -rf /'"],
      ['line\nbreak', "'line\nbreak'"],
    ];
    cases.forEach(([word, quoted]) => {
      it(`should quote ${JSON.stringify(word)} as ${quoted}`, () => {
        expect(quoteShellWord(word)).to.equal(quoted);
      });
    });

    it('should refuse a NUL byte, which no shell word can hold', () => {
      expect(() => quoteShellWord('a\0b')).to.throw(SshError, /NUL/);
    });
  });

  describe(quoteShellCommand.name, () => {
    it('should quote each word and join them with spaces', () => {
      expect(quoteShellCommand(['kill', '-s', 'TERM', 'a b'])).to.equal("kill -s TERM 'a b'");
    });
  });

  describe(renderEnvironmentFile.name, () => {
    it('should write one quoted export per variable', () => {
      expect(renderEnvironmentFile({ port: '8080', motto: "it's" })).to.equal(
        `export port=8080\nexport motto='it'\\''s'\n`,
      );
    });

    it('should refuse a name that is not a shell variable name, naming it', () => {
      expect(() => renderEnvironmentFile({ 'Db.port': '1' }))
        .to.throw(SshError, /Step variable "Db.port" cannot be passed over SSH/)
        .with.property('code', 'SSH_COMMAND_FAILED');
    });
  });
});
