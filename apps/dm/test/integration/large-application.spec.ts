import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { tarGz } from './support/template-archives';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { loginAsAdmin, startTestDm, type TestDm } from './support/test-dm';

/** More instance rows than one INSERT of 6 parameters each can carry (65,535 / 6 = 10,922). */
const ROOTS = 11;
const CHILDREN_PER_ROOT = 1_000;

async function writeLargeTemplate(directory: string): Promise<void> {
  await mkdir(join(directory, 'descriptor'), { recursive: true });
  await mkdir(join(directory, 'instances'), { recursive: true });
  await writeFile(
    join(directory, 'descriptor', 'application.properties'),
    'name = large\nversion = 1.0.0\ndsl-id = roboconf-1.0\ngraph-entry-point = main.graph\ninstance-entry-point = initial.instances\n',
  );
  const scripts = join(directory, 'graph', 'Cache', 'scripts');
  await mkdir(scripts, { recursive: true });
  for (const step of ['deploy', 'start', 'stop', 'undeploy']) {
    await writeFile(join(scripts, `${step}.sh`), '#!/bin/sh\nexit 0\n');
    await chmod(join(scripts, `${step}.sh`), 0o755);
  }
  await writeFile(
    join(directory, 'graph', 'main.graph'),
    'VM {\n\tinstaller: target;\n\tchildren: Cache;\n}\nCache {\n\tinstaller: script;\n}\n',
  );
  const roots = Array.from({ length: ROOTS }, (_, root) => {
    const children = Array.from(
      { length: CHILDREN_PER_ROOT },
      (_, child) => `\tinstance of Cache {\n\t\tname: cache${child};\n\t}\n`,
    );
    return `instance of VM {\n\tname: vm${root};\n${children.join('')}}\n`;
  });
  await writeFile(join(directory, 'instances', 'initial.instances'), roots.join(''));
}

describe('An application larger than one INSERT statement', function () {
  this.timeout(180_000);
  let database: TestDatabase;
  let dm: TestDm;
  let token: string;
  let directory: string;

  before(async () => {
    database = await createTestDatabase('postgresql');
    dm = await startTestDm(database);
    token = await loginAsAdmin(dm.server);
    directory = await mkdtemp(join(tmpdir(), 'flotilla-large-template-'));
    await writeLargeTemplate(join(directory, 'large'));
  });

  after(async () => {
    await dm?.server.close();
    await database?.drop();
    await rm(directory, { recursive: true, force: true });
  });

  it('should create every instance, parents before children, when it has 11,011 instances', async () => {
    await request(dm.server.url)
      .post('/api/templates')
      .auth(token, { type: 'bearer' })
      .set('Content-Type', 'application/gzip')
      .send(await tarGz(join(directory, 'large')))
      .expect(201);

    await request(dm.server.url)
      .post('/api/applications')
      .auth(token, { type: 'bearer' })
      .send({ name: 'large', template: 'large' })
      .expect(201);

    const listed = await request(dm.server.url)
      .get('/api/applications/large/instances')
      .auth(token, { type: 'bearer' })
      .expect(200);
    const paths = (listed.body as Array<{ path: string }>).map((instance) => instance.path);
    expect(paths).to.have.length(ROOTS * (CHILDREN_PER_ROOT + 1));
    expect(paths).to.include.members(['/vm0', `/vm${ROOTS - 1}/cache${CHILDREN_PER_ROOT - 1}`]);
  });
});
