import { expect } from 'chai';
import type { ExternalExport } from '../imports';
import { at, component, graph, instance } from './application.spec-helper';
import type { ApplicationSnapshot } from './lifecycle.types';
import { react } from './reactor';

const SHOP_EXPORT: ExternalExport = {
  application: 'shop-prod',
  prefix: 'Shop',
  instancePath: '/vm/shop',
  values: { 'Shop.url': 'http://shop' },
};

function portal(
  state: 'unresolved' | 'deployed_started',
  external: readonly ExternalExport[],
): ApplicationSnapshot {
  return {
    graph: graph(component('Portal', { imports: ['external Shop.url'] })),
    instances: [instance('/portal', 'Portal')],
    runtime: { '/portal': at(state) },
    exports: {},
    external,
  };
}

describe('react to external-exports-changed', () => {
  it('should start an unresolved importer when a bound application starts exporting', () => {
    const reaction = react(portal('unresolved', []), {
      type: 'external-exports-changed',
      external: [SHOP_EXPORT],
    });

    expect(reaction.steps.map((step) => `${step.kind} ${step.instancePath}`)).to.deep.equal([
      'start /portal',
    ]);
    expect(reaction.application.external).to.deep.equal([SHOP_EXPORT]);
  });

  it('should stop a started importer when the bound exporter goes away', () => {
    const reaction = react(portal('deployed_started', [SHOP_EXPORT]), {
      type: 'external-exports-changed',
      external: [],
    });

    expect(reaction.steps.map((step) => `${step.kind} ${step.instancePath}`)).to.deep.equal([
      'stop /portal',
    ]);
  });

  it('should update a started importer when a second bound exporter appears', () => {
    const second = { ...SHOP_EXPORT, application: 'shop-eu', values: { 'Shop.url': 'http://eu' } };

    const reaction = react(portal('deployed_started', [SHOP_EXPORT]), {
      type: 'external-exports-changed',
      external: [SHOP_EXPORT, second],
    });

    const [update] = reaction.steps;
    expect(update?.kind).to.equal('update');
    expect(update?.importChange).to.include({ kind: 'added', exporterPath: 'shop-eu:/vm/shop' });
  });
});
