import { expect } from 'chai';
import { Painter, toneOfState, type Tone } from './colours';

describe(Painter.name, () => {
  describe('paint', () => {
    it('should leave text unchanged when the output is no terminal', () => {
      expect(new Painter({ write: () => true }, {}).paint('bad', 'failed')).to.equal('failed');
    });

    it('should leave text unchanged on a terminal when NO_COLOR is set', () => {
      const sut = new Painter({ isTTY: true, write: () => true }, { NO_COLOR: '1' });
      expect(sut.paint('good', 'deployed_started')).to.equal('deployed_started');
    });

    it('should colour text on a terminal', () => {
      const sut = new Painter({ isTTY: true, write: () => true }, {});
      expect(sut.paint('good', 'ok')).to.equal('\x1b[32mok\x1b[39m');
    });
  });
});

describe(toneOfState.name, () => {
  const cases: readonly [string, Tone][] = [
    ['deployed_started', 'good'],
    ['trusted', 'good'],
    ['deployed_stopped', 'muted'],
    ['not_deployed', 'muted'],
    ['deploying', 'busy'],
    ['starting', 'busy'],
    ['stopping', 'busy'],
    ['undeploying', 'busy'],
    ['pending', 'busy'],
    ['unknown', 'bad'],
    ['rejected', 'bad'],
    ['revoked', 'bad'],
    ['trusted (lost)', 'bad'],
  ];
  for (const [state, tone] of cases) {
    it(`should give ${state} the tone ${tone}`, () => {
      expect(toneOfState(state)).to.equal(tone);
    });
  }
});
