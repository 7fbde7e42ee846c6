import { expect } from 'chai';
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileReplayCache } from './file-replay-cache';
import { MemoryReplayCache } from './memory-replay-cache';
import { ManualClock } from '../testing/messaging-world.spec';

const SENDER = 'a'.repeat(64);
const OTHER_SENDER = 'b'.repeat(64);

describe(FileReplayCache.name, () => {
  let dir: string;
  let path: string;
  let clock: ManualClock;
  let opened: FileReplayCache[];

  function cacheAt(maxEntries?: number): FileReplayCache {
    const cache = new FileReplayCache({
      path,
      clock,
      ...(maxEntries === undefined ? {} : { maxEntries }),
    });
    opened.push(cache);
    return cache;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-replay-'));
    path = join(dir, 'replay.log');
    clock = new ManualClock();
    opened = [];
  });

  afterEach(async () => {
    await Promise.all(opened.map((cache) => cache.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('should remember ids per sender across a restart, in a 0600 file', async () => {
    const sut = cacheAt();
    await sut.remember(SENDER, 'm1', clock.time + 60_000);

    const restarted = cacheAt();

    expect(await restarted.has(SENDER, 'm1')).to.equal(true);
    expect(await restarted.has(OTHER_SENDER, 'm1')).to.equal(false);
    expect(await restarted.has(SENDER, 'm2')).to.equal(false);
    expect((await stat(path)).mode & 0o777).to.equal(0o600);
  });

  it('should keep every id of concurrent remembers across a restart, one log line each', async () => {
    const sut = cacheAt();
    const ids = Array.from({ length: 300 }, (_, index) => `m-${index}`);

    await Promise.all(ids.map((id) => sut.remember(SENDER, id, clock.time + 60_000)));
    await sut.close();

    const restarted = cacheAt();
    const remembered = await Promise.all(ids.map((id) => restarted.has(SENDER, id)));
    expect(remembered.every(Boolean)).to.equal(true);
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(new Set(lines).size).to.equal(ids.length);
  });

  it('should count an id as handled as soon as remember is called', async () => {
    const sut = cacheAt();
    await sut.has(SENDER, 'warm-up');

    const remembering = sut.remember(SENDER, 'm-1', clock.time + 60_000);

    expect(await sut.has(SENDER, 'm-1')).to.equal(true);
    await remembering;
  });

  it('should forget an id once its expiry has passed', async () => {
    const sut = cacheAt();
    await sut.remember(SENDER, 'm1', clock.time + 1000);

    clock.time += 1000;

    expect(await sut.has(SENDER, 'm1')).to.equal(false);
  });

  it('should ignore a torn last line left by a crash', async () => {
    await cacheAt().remember(SENDER, 'm1', clock.time + 60_000);
    await appendFile(path, '["torn');

    const restarted = cacheAt();

    expect(await restarted.has(SENDER, 'm1')).to.equal(true);
  });

  it('should stay within maxEntries by evicting the entries that expire soonest', async () => {
    const sut = cacheAt(3);
    for (let index = 0; index < 5; index += 1) {
      await sut.remember(SENDER, `m${index}`, clock.time + 10_000 + index);
    }

    const restarted = cacheAt(3);

    expect(await restarted.has(SENDER, 'm0')).to.equal(false);
    expect(await restarted.has(SENDER, 'm4')).to.equal(true);
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.length).to.be.at.most(6);
  });

  it('should compact expired entries out of the log', async () => {
    const sut = cacheAt(2);
    await sut.remember(SENDER, 'old', clock.time + 1000);
    clock.time += 5000;
    for (const id of ['n1', 'n2', 'n3']) {
      await sut.remember(SENDER, id, clock.time + 60_000);
    }

    expect(await readFile(path, 'utf8')).not.to.contain('old');
  });
});

describe(MemoryReplayCache.name, () => {
  it('should remember an id until it expires', async () => {
    const clock = new ManualClock();
    const sut = new MemoryReplayCache({ clock });

    await sut.remember(SENDER, 'm1', clock.time + 10);

    expect(await sut.has(SENDER, 'm1')).to.equal(true);
    clock.time += 10;
    expect(await sut.has(SENDER, 'm1')).to.equal(false);
  });
});
