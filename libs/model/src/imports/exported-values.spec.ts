import { expect } from 'chai';
import { component, graph, instance } from '../lifecycle/application.spec-helper';
import { computeInstanceExports } from './exported-values';

describe('computeInstanceExports', () => {
  const model = graph(
    component('Web', {
      exports: {
        ip: undefined,
        port: { random: 'port' },
        path: '/$(ROBOCONF_INSTANCE_NAME)',
        user: 'www',
      },
    }),
    component('Db', {
      exports: {
        port: '3306',
        'Sql.dialect': 'mysql',
        tag: '$(ROBOCONF_CLEAN_REVERSED_INSTANCE_PATH)',
      },
    }),
  );

  it('should take the graph defaults and the agent-supplied ip and random port', () => {
    const sut = computeInstanceExports(model, instance('/vm 1/shop', 'Web'), {
      ip: '192.168.1.7',
      randomPorts: { 'Web.port': 10042 },
    });

    expect(sut).to.deep.equal({
      instancePath: '/vm 1/shop',
      component: 'Web',
      values: {
        'Web.ip': '192.168.1.7',
        'Web.port': '10042',
        'Web.path': '/shop',
        'Web.user': 'www',
      },
      missing: [],
    });
  });

  it('should let the instance override by short or qualified name, the qualified name winning', () => {
    const sut = computeInstanceExports(
      model,
      instance('/vm/db', 'Db', { port: '3307', 'Sql.dialect': 'mariadb', dialect: 'ignored' }),
    );

    expect(sut.values).to.include({ 'Db.port': '3307', 'Sql.dialect': 'mariadb' });
  });

  it('should find the short name under a component name that contains dots', () => {
    const dotted = graph(
      component('my.db', { exports: { 'my.db.port': '3306', 'my.db.conn.max': '10' } }),
    );

    const sut = computeInstanceExports(
      dotted,
      instance('/vm/db', 'my.db', { port: '3307', 'conn.max': '20' }),
    );

    expect(sut.values).to.deep.equal({ 'my.db.port': '3307', 'my.db.conn.max': '20' });
  });

  it('should list the variables that have no value yet instead of inventing one', () => {
    const sut = computeInstanceExports(model, instance('/vm/shop', 'Web'));

    expect(sut.missing).to.deep.equal(['Web.ip', 'Web.port']);
    expect(sut.values).to.not.have.property('Web.port');
  });

  it('should replace the Roboconf placeholders with the instance path cleaned and reversed', () => {
    const sut = computeInstanceExports(model, instance('/my vm/db-1', 'Db'));

    expect(sut.values['Db.tag']).to.equal('db_1_my_vm');
  });
});
