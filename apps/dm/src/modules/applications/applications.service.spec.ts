import { expect } from 'chai';
import type { InstanceDefinition } from '@flotilla/model';
import { planInstances } from './applications.service';

function definition(path: string, component: string, agent?: string): InstanceDefinition {
  const parentPath = path.lastIndexOf('/') > 0 ? path.slice(0, path.lastIndexOf('/')) : undefined;
  return {
    name: path.slice(path.lastIndexOf('/') + 1),
    component,
    path,
    ...(parentPath ? { parentPath } : {}),
    overriddenExports: {},
    properties: agent ? { agent } : {},
  };
}

describe(planInstances.name, () => {
  it('should link each child to its parent id and bind only roots to their agent', () => {
    const sut = planInstances([
      definition('/vm', 'VM', 'host-1'),
      definition('/vm/tomcat', 'Tomcat', 'ignored-on-children'),
      definition('/vm/tomcat/app', 'App'),
    ]);
    const [vm, tomcat, app] = sut;
    expect(vm).to.include({ parentId: null, agentName: 'host-1' });
    expect(tomcat).to.include({ parentId: vm.id, agentName: null });
    expect(app).to.include({ parentId: tomcat.id, component: 'App' });
    expect(new Set(sut.map((instance) => instance.id)).size).to.equal(3);
  });
});
