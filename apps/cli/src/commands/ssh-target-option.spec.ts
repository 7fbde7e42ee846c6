import { expect } from 'chai';
import { CliError } from '../cli-error';
import { parseSshAddress } from './ssh-target-option';

describe('parseSshAddress', () => {
  const valid: Array<[string, { user: string; host: string; port: number }]> = [
    ['deploy@10.0.0.7', { user: 'deploy', host: '10.0.0.7', port: 22 }],
    ['root@db.example.org:2222', { user: 'root', host: 'db.example.org', port: 2222 }],
  ];
  for (const [text, expected] of valid) {
    it(`should read ${text}`, () => {
      expect(parseSshAddress(text)).to.deep.equal(expected);
    });
  }

  for (const text of ['10.0.0.7', 'deploy@', 'deploy@host:0', 'deploy@host:70000', 'a b@host']) {
    it(`should refuse "${text}" with a usage error showing the expected form`, () => {
      expect(() => parseSshAddress(text))
        .to.throw(CliError)
        .with.property('message')
        .that.contains('user@host[:port]');
    });
  }
});
