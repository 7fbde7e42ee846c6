import { expect } from 'chai';
import { component, graph, instance } from '../lifecycle/application.spec-helper';
import { computeInstanceExports } from './exported-values';
import { ImportsError } from './imports.error';
import { allocateRandomPorts } from './random-ports';

describe('allocateRandomPorts', () => {
  const model = graph(
    component('Web', {
      exports: { port: { random: 'port' }, admin: { random: 'port' }, name: 'web' },
    }),
    component('Db', { exports: { port: '3306' } }),
  );
  const instances = [
    instance('/vm/web1', 'Web'),
    instance('/vm/web2', 'Web', { admin: '9000' }),
    instance('/vm/db', 'Db'),
  ];

  it('should give each random port export of the agent its own port, skipping forbidden ones and overridden exports', () => {
    const sut = allocateRandomPorts(model, instances, {}, { min: 20000, forbidden: [20001] });

    expect(sut).to.deep.equal({
      '/vm/web1': { 'Web.port': 20000, 'Web.admin': 20002 },
      '/vm/web2': { 'Web.port': 20003 },
    });
  });

  it('should keep the ports already allocated and never give them to another export', () => {
    const sut = allocateRandomPorts(model, instances, { '/vm/web2': { 'Web.port': 10000 } });

    expect(sut).to.deep.equal({
      '/vm/web1': { 'Web.port': 10001, 'Web.admin': 10002 },
      '/vm/web2': { 'Web.port': 10000 },
    });
  });

  it('should feed computeInstanceExports', () => {
    const ports = allocateRandomPorts(model, instances);

    const sut = computeInstanceExports(model, instances[0], { randomPorts: ports['/vm/web1'] });

    expect(sut.values).to.deep.equal({
      'Web.port': '10000',
      'Web.admin': '10001',
      'Web.name': 'web',
    });
  });

  it('should name the instance and the variable when the range is exhausted', () => {
    expect(() => allocateRandomPorts(model, instances, {}, { min: 30000, max: 30001 }))
      .to.throw(ImportsError, 'Instance /vm/web2: no free port in 30000-30001 for Web.port')
      .with.property('code', 'NO_FREE_PORT');
  });
});
