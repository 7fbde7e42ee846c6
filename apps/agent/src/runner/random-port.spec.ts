import { expect } from 'chai';
import { withRandomPorts } from './random-port';

describe('withRandomPorts', () => {
  it('should give every random[port] export a port, keeping the other exports', async () => {
    const sut = await withRandomPorts({ 'Web.ip': '10.0.0.2' }, ['Web.port'], {});

    expect(sut['Web.ip']).to.equal('10.0.0.2');
    expect(Number(sut['Web.port'])).to.be.within(1, 65535);
  });

  it('should keep the port an instance already holds on this agent', async () => {
    const sut = await withRandomPorts({}, ['Web.port'], { 'Web.port': '41234' });

    expect(sut['Web.port']).to.equal('41234');
  });
});
