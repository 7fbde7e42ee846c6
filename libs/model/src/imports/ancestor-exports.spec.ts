import { expect } from 'chai';
import { instance } from '../lifecycle/application.spec-helper';
import { ancestorExports, toAncestorVariables } from './ancestor-exports';
import { ImportsError } from './imports.error';

describe('ancestorExports', () => {
  const instances = [
    instance('/vm', 'VM'),
    instance('/vm/tomcat', 'Tomcat'),
    instance('/vm/tomcat/shop', 'War'),
  ];
  const exports = {
    '/vm': { 'VM.ip': '10.0.0.5' },
    '/vm/tomcat': { 'Tomcat.port': '8080', 'JavaApp.home': '/opt/t' },
  };

  it('should list the ancestors nearest first with their exports by short name', () => {
    expect(ancestorExports(instances, exports, '/vm/tomcat/shop')).to.deep.equal([
      { instancePath: '/vm/tomcat', component: 'Tomcat', values: { port: '8080', home: '/opt/t' } },
      { instancePath: '/vm', component: 'VM', values: { ip: '10.0.0.5' } },
    ]);
  });

  it('should turn them into ANCESTOR_<Component>_<variable> recipe variables', () => {
    const sut = toAncestorVariables(ancestorExports(instances, exports, '/vm/tomcat/shop'));

    expect(sut).to.deep.equal({
      ANCESTOR_Tomcat_port: '8080',
      ANCESTOR_Tomcat_home: '/opt/t',
      ANCESTOR_VM_ip: '10.0.0.5',
    });
  });

  it('should name the unknown path', () => {
    expect(() => ancestorExports(instances, exports, '/vm/nope'))
      .to.throw(ImportsError, 'No instance at /vm/nope')
      .with.property('code', 'UNKNOWN_INSTANCE');
  });
});
