import { expect } from 'chai';
import { parseGraphText } from '../dsl/graph.parser';
import { resolveGraph } from '../graph/graph-loader';
import { component, graph, instance } from '../lifecycle/application.spec-helper';
import type { InstanceDefinition, ResolvedGraph } from '../model.types';
import { computeInstanceExports } from './exported-values';
import { ImportsError } from './imports.error';
import { resolveImports } from './import-resolver';
import type { ExternalExport, ImportResolution } from './imports.types';

function resolve(
  sut: { graph: ResolvedGraph; instances: InstanceDefinition[] },
  started: string[],
  exports: Record<string, Record<string, string>>,
  external: ExternalExport[] = [],
): ImportResolution {
  return resolveImports({ ...sut, startedPaths: new Set(started), exports, external });
}

describe('resolveImports', () => {
  const lamp = {
    graph: graph(
      component('VM', { installer: 'target' }),
      component('MySQL', { exports: { ip: undefined, port: '3306', user: 'root' } }),
      component('Tomcat', {
        exports: { ip: undefined, portAJP: '8009' },
        imports: ['MySQL.ip', 'MySQL.port'],
      }),
      component('Apache', { imports: ['Tomcat.*'] }),
    ),
    instances: [
      instance('/vm1', 'VM'),
      instance('/vm1/mysql', 'MySQL'),
      instance('/vm2', 'VM'),
      instance('/vm2/tomcat', 'Tomcat'),
      instance('/vm3', 'VM'),
      instance('/vm3/tomcat', 'Tomcat'),
      instance('/vm4/apache', 'Apache'),
    ],
  };
  const lampExports = {
    '/vm1/mysql': { 'MySQL.ip': '10.0.0.1', 'MySQL.port': '3306', 'MySQL.user': 'root' },
    '/vm2/tomcat': { 'Tomcat.ip': '10.0.0.2', 'Tomcat.portAJP': '8009' },
    '/vm3/tomcat': { 'Tomcat.ip': '10.0.0.3', 'Tomcat.portAJP': '8010' },
  };

  it('should give an importer only the variables it declared, from started exporters', () => {
    const resolution = resolve(lamp, ['/vm1/mysql'], lampExports);

    expect(resolution['/vm2/tomcat']).to.deep.equal({
      instancePath: '/vm2/tomcat',
      byPrefix: {
        MySQL: [
          {
            exporterPath: '/vm1/mysql',
            component: 'MySQL',
            prefix: 'MySQL',
            external: false,
            variables: { 'MySQL.ip': '10.0.0.1', 'MySQL.port': '3306' },
          },
        ],
      },
      isComplete: true,
      missingPrefixes: [],
    });
  });

  it('should be incomplete when no exporter of a mandatory prefix is started', () => {
    const resolution = resolve(lamp, ['/vm2/tomcat'], lampExports);

    expect(resolution['/vm2/tomcat']?.isComplete).to.equal(false);
    expect(resolution['/vm2/tomcat']?.missingPrefixes).to.deep.equal(['MySQL']);
    expect(resolution['/vm4/apache']?.isComplete).to.equal(true);
  });

  it('should give every variable of the prefix to a wildcard import, one entry per exporter sorted by path', () => {
    const resolution = resolve(lamp, ['/vm3/tomcat', '/vm2/tomcat'], lampExports);

    const entries = resolution['/vm4/apache']?.byPrefix['Tomcat'] ?? [];
    expect(entries.map((entry) => entry.exporterPath)).to.deep.equal([
      '/vm2/tomcat',
      '/vm3/tomcat',
    ]);
    expect(entries[1]?.variables).to.deep.equal({
      'Tomcat.ip': '10.0.0.3',
      'Tomcat.portAJP': '8010',
    });
  });

  it('should have no imports and be complete for a component that imports nothing', () => {
    const resolution = resolve(lamp, [], lampExports);

    expect(resolution['/vm1/mysql']).to.deep.equal({
      instancePath: '/vm1/mysql',
      byPrefix: {},
      isComplete: true,
      missingPrefixes: [],
    });
  });

  describe('optional imports', () => {
    const cluster = {
      graph: graph(
        component('Member', { exports: { ip: undefined }, imports: ['Member.* (optional)'] }),
        component('Proxy', {
          imports: ['Member.ip', 'Member.port (optional)', 'Cache.host (optional)'],
        }),
        component('Cache', { exports: { host: 'cache' } }),
      ),
      instances: [
        instance('/m1', 'Member'),
        instance('/m2', 'Member'),
        instance('/proxy', 'Proxy'),
      ],
    };
    const exports = { '/m1': { 'Member.ip': '10.1.0.1' }, '/m2': { 'Member.ip': '10.1.0.2' } };

    it('should never block on a prefix whose variables are all optional, nor import from the instance itself', () => {
      const alone = resolve(cluster, ['/m1'], exports);
      expect(alone['/m1']).to.include({ isComplete: true });
      expect(alone['/m1']?.byPrefix['Member']).to.deep.equal([]);

      const together = resolve(cluster, ['/m1', '/m2'], exports);
      expect(together['/m1']?.byPrefix['Member']?.map((entry) => entry.exporterPath)).to.deep.equal(
        ['/m2'],
      );
    });

    it('should require the prefix when one of its variables is mandatory (Roboconf checks per prefix)', () => {
      expect(resolve(cluster, [], exports)['/proxy']?.missingPrefixes).to.deep.equal(['Member']);
      expect(resolve(cluster, ['/m2'], exports)['/proxy']?.isComplete).to.equal(true);
    });
  });

  describe('facets and inheritance (graph from the DSL parser)', () => {
    const parsed = parseGraphText(
      `VM {
        installer: target;
        children: Tomcat, Balancer, Monitor, Client;
      }
      facet balanced {
        exports: weight = 3;
      }
      JavaApp {
        installer: script;
        exports: port = 8080;
      }
      Tomcat {
        extends: JavaApp;
        facets: balanced;
        exports: ajp = 8009;
      }
      Balancer {
        installer: script;
        imports: balanced.*;
      }
      Monitor {
        installer: script;
        imports: JavaApp.port;
      }
      Client {
        installer: script;
        imports: Tomcat.port, Tomcat.ajp;
      }`,
      'shop.graph',
    );
    const resolved = resolveGraph([parsed.graph]);
    const shop = {
      graph: resolved.graph,
      instances: [
        instance('/tomcat', 'Tomcat'),
        instance('/balancer', 'Balancer'),
        instance('/monitor', 'Monitor'),
        instance('/client', 'Client'),
      ],
    };
    const exports = {
      '/tomcat': computeInstanceExports(shop.graph, instance('/tomcat', 'Tomcat'), {}).values,
    };

    it('should resolve a facet prefix to the instances of every component with that facet', () => {
      expect([...parsed.diagnostics, ...resolved.diagnostics]).to.deep.equal([]);
      const entry = resolve(shop, ['/tomcat'], exports)['/balancer']?.byPrefix['balanced']?.[0];
      expect(entry).to.include({
        exporterPath: '/tomcat',
        component: 'Tomcat',
        prefix: 'balanced',
      });
      expect(entry?.variables).to.deep.equal({ 'balanced.weight': '3' });
    });

    it('should show inherited exports under the super component and the sub component names', () => {
      const resolution = resolve(shop, ['/tomcat'], exports);
      expect(resolution['/monitor']?.byPrefix['JavaApp']?.[0]?.variables).to.deep.equal({
        'JavaApp.port': '8080',
      });
      expect(resolution['/client']?.byPrefix['Tomcat']?.[0]?.variables).to.deep.equal({
        'Tomcat.port': '8080',
        'Tomcat.ajp': '8009',
      });
    });
  });

  describe('external imports', () => {
    const site = {
      graph: graph(
        component('Portal', { imports: ['external Lamp.lb_ip', 'external Mail.* (optional)'] }),
      ),
      instances: [instance('/portal', 'Portal')],
    };

    it('should resolve against the exports of the bound applications, keyed by application and path', () => {
      const external: ExternalExport[] = [
        {
          application: 'lamp-prod',
          prefix: 'Lamp',
          instancePath: '/vm/apache',
          values: { 'Lamp.lb_ip': '10.2.0.1', 'Lamp.other': 'x' },
        },
        {
          application: 'mail',
          prefix: 'Mail',
          instancePath: '/smtp',
          values: { 'Mail.host': 'smtp' },
        },
      ];

      const imports = resolve(site, [], {}, external)['/portal'];

      expect(imports?.isComplete).to.equal(true);
      expect(imports?.byPrefix['Lamp']).to.deep.equal([
        {
          exporterPath: 'lamp-prod:/vm/apache',
          component: 'Lamp',
          prefix: 'Lamp',
          external: true,
          variables: { 'Lamp.lb_ip': '10.2.0.1' },
        },
      ]);
      expect(imports?.byPrefix['Mail']?.[0]?.variables).to.deep.equal({ 'Mail.host': 'smtp' });
    });

    it('should be incomplete while no bound application exports a mandatory external prefix', () => {
      expect(resolve(site, [], {})['/portal']?.missingPrefixes).to.deep.equal(['Lamp']);
    });
  });

  it('should name the instance and the component when a component is unknown', () => {
    const broken = { graph: graph(), instances: [instance('/vm/ghost', 'Ghost')] };

    expect(() => resolve(broken, [], {}))
      .to.throw(ImportsError, 'Instance /vm/ghost is of unknown component "Ghost"')
      .with.property('code', 'UNKNOWN_COMPONENT');
  });
});
