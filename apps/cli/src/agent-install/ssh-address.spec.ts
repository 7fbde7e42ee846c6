import { expect } from 'chai';
import { parseSshAddress } from './ssh-address';

describe(parseSshAddress.name, () => {
  const cases: ReadonlyArray<[string, { user: string; host: string; port: number }]> = [
    ['root@web-1', { user: 'root', host: 'web-1', port: 22 }],
    ['deploy@10.0.0.5:2222', { user: 'deploy', host: '10.0.0.5', port: 2222 }],
    ['ops@[fd00::5]:22', { user: 'ops', host: 'fd00::5', port: 22 }],
  ];
  for (const [text, expected] of cases) {
    it(`should read ${text} as ${JSON.stringify(expected)}`, () => {
      expect(parseSshAddress(text)).to.deep.equal(expected);
    });
  }

  for (const text of ['web-1', 'root@', '@host', 'root@host:ssh', 'root@host:70000']) {
    it(`should refuse "${text}" naming the --ssh option`, () => {
      expect(() => parseSshAddress(text)).to.throw(`--ssh "${text}"`);
    });
  }
});
