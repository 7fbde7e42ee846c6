import { expect } from 'chai';
import { INSTANCE_STATES } from '@flotilla/model';
import { STATE_STYLES, styleOfState } from './state-style';

describe('styleOfState', () => {
  for (const state of INSTANCE_STATES) {
    it(`should give ${state} a fill colour and a text label`, () => {
      const sut = styleOfState(state);
      expect(sut.fill).to.match(/^#[0-9a-f]{6}$/);
      expect(sut.label).to.have.length.greaterThan(0);
    });
  }

  it('should give every state its own label, so that colour is never the only cue', () => {
    const labels = Object.values(STATE_STYLES).map((style) => style.label);
    expect(new Set(labels).size).to.equal(INSTANCE_STATES.length);
  });

  it('should show an unknown state by its name', () => {
    expect(styleOfState('mystery').label).to.equal('mystery');
  });
});
