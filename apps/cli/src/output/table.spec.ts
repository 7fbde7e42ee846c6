import { expect } from 'chai';
import { renderTable } from './table';

describe(renderTable.name, () => {
  it('should pad every column but the last to its widest cell', () => {
    expect(
      renderTable(
        ['NAME', 'STATE'],
        [
          ['db-host', 'pending'],
          ['a', 'trusted'],
        ],
      ),
    ).to.equal('NAME     STATE\ndb-host  pending\na        trusted\n');
  });

  it('should print nothing for no rows', () => {
    expect(renderTable(['NAME'], [])).to.equal('');
  });
});
