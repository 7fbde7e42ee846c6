import { expect } from 'chai';
import { chainApplication } from './application.spec-helper';
import { InstanceTree } from './instance-tree';
import { ReconcileQueue } from './reconcile-queue';

/** The chain's instances top-down: /vm1, /vm1/db, /vm2, /vm2/app, /vm2/app/war, /vm3, /vm3/web. */
function queue(): ReconcileQueue {
  const tree = new InstanceTree(chainApplication().instances);
  return new ReconcileQueue(
    tree,
    tree.topDown().map((instance) => instance.path),
  );
}

function drain(
  sut: ReconcileQueue,
  onVisit: (path: string) => void = (): void => undefined,
): string[] {
  const visited: string[] = [];
  for (let path = sut.pop(); path !== undefined; path = sut.pop()) {
    visited.push(path);
    onVisit(path);
  }
  return visited;
}

describe(ReconcileQueue.name, () => {
  describe('markAround', () => {
    it('should queue the instance, its ancestors and its descendants, top-down', () => {
      const sut = queue();

      sut.markAround('/vm2/app');

      expect(sut.startPass()).to.equal(true);
      expect(drain(sut)).to.deep.equal(['/vm2', '/vm2/app', '/vm2/app/war']);
      expect(sut.startPass(), 'nothing left').to.equal(false);
    });

    it('should visit a mark ahead of the cursor in the same pass and one behind it in the next', () => {
      const sut = queue();
      sut.markAround('/vm2');
      sut.startPass();

      const first = drain(sut, (path) => {
        if (path === '/vm2/app') {
          sut.markAround('/vm3/web');
          sut.markAround('/vm1/db');
        }
      });

      expect(first).to.deep.equal(['/vm2', '/vm2/app', '/vm2/app/war', '/vm3', '/vm3/web']);
      expect(sut.startPass()).to.equal(true);
      expect(drain(sut)).to.deep.equal(['/vm1', '/vm1/db']);
    });

    it('should ignore instances the caller does not own', () => {
      const tree = new InstanceTree(chainApplication().instances);
      const sut = new ReconcileQueue(tree, ['/vm3', '/vm3/web']);

      sut.markAround('/vm2/app');

      expect(sut.startPass()).to.equal(false);
    });
  });
});
