import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  DEFAULT_REPLAY_CACHE_MAX_ENTRIES,
  PRIVATE_DIRECTORY_MODE,
  PRIVATE_FILE_MODE,
} from '../messaging.constants';
import { isFileMissing, writePrivateFileAtomic } from '../support/atomic-file';
import { SYSTEM_CLOCK, type Clock } from '../support/clock';
import { SerialQueue } from '../support/serial-queue';
import type { ReplayCache } from './replay-cache';
import { ReplayEntries } from './replay-entries';

/** Options of {@link FileReplayCache}. */
export interface FileReplayCacheOptions {
  /** Path of the append-only log file (0600). */
  readonly path: string;
  /** Most entries kept; beyond it, those expiring soonest are evicted. */
  readonly maxEntries?: number;
  /** Time source used to prune expired entries. */
  readonly clock?: Clock;
}

/**
 * Replay cache persisted as an append-only JSON-lines log, so a restart does not reopen the replay
 * window. Each `remember` adds one line, appended in batches (group commit); the log is compacted (write-then-rename) when it holds
 * twice as many lines as live entries. A torn last line from a crash is ignored on load.
 */
export class FileReplayCache implements ReplayCache {
  private readonly entries: ReplayEntries;
  private readonly clock: Clock;
  private readonly writes = new SerialQueue();
  private loaded: Promise<void> | undefined;
  private logLines = 0;
  private log: FileHandle | undefined;
  private pendingLines: string[] = [];
  private nextWrite: Promise<void> | undefined;
  private isCompactionDue = false;

  constructor(private readonly options: FileReplayCacheOptions) {
    this.entries = new ReplayEntries(options.maxEntries ?? DEFAULT_REPLAY_CACHE_MAX_ENTRIES);
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** {@inheritDoc ReplayCache.has} */
  async has(senderThumbprint: string, messageId: string): Promise<boolean> {
    await this.ensureLoaded();
    return this.entries.has(ReplayEntries.keyOf(senderThumbprint, messageId), this.clock.now());
  }

  /**
   * {@inheritDoc ReplayCache.remember}
   * The id counts in memory at once; the returned promise resolves once its line reached the log
   * file. Remembers issued while a write is under way are appended together (group commit).
   */
  async remember(senderThumbprint: string, messageId: string, expiresAt: number): Promise<void> {
    await this.ensureLoaded();
    const key = ReplayEntries.keyOf(senderThumbprint, messageId);
    if (this.entries.add(key, expiresAt, this.clock.now())) {
      this.isCompactionDue = true;
    }
    this.pendingLines.push(`${JSON.stringify([key, expiresAt])}\n`);
    this.nextWrite ??= this.writes.run(() => this.writePending());
    await this.nextWrite;
  }

  /** Closes the log file; a later `remember` reopens it. */
  async close(): Promise<void> {
    await this.writes.run(() => this.closeLog());
  }

  private async closeLog(): Promise<void> {
    const log = this.log;
    this.log = undefined;
    await log?.close();
  }

  // One write for every line remembered since the previous write started. No fsync (decision 0013
  // and 0123): a crash of the process loses nothing that was acked, a power loss may lose the last
  // batch.
  private async writePending(): Promise<void> {
    const lines = this.pendingLines;
    this.pendingLines = [];
    this.nextWrite = undefined;
    const isLogTooLong = this.logLines + lines.length > 2 * Math.max(this.entries.size, 1);
    if (this.isCompactionDue || isLogTooLong) {
      // The compacted file holds every entry in memory, these lines included.
      this.isCompactionDue = false;
      await this.compact();
      return;
    }
    this.log ??= await open(this.options.path, 'a', PRIVATE_FILE_MODE);
    await this.log.appendFile(lines.join(''));
    this.logLines += lines.length;
  }

  private ensureLoaded(): Promise<void> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  private async load(): Promise<void> {
    await mkdir(dirname(this.options.path), { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
    let text: string;
    try {
      text = await readFile(this.options.path, 'utf8');
    } catch (error: unknown) {
      if (isFileMissing(error)) {
        return;
      }
      throw error;
    }
    const now = this.clock.now();
    for (const line of text.split('\n')) {
      const entry = parseLine(line);
      if (entry !== undefined) {
        this.entries.add(entry[0], entry[1], now);
        this.logLines += 1;
      }
    }
  }

  private async compact(): Promise<void> {
    const now = this.clock.now();
    const live = this.entries.toArray().filter(([, expiresAt]) => expiresAt > now);
    // The append handle points at the file about to be replaced by rename: reopen after compaction.
    await this.closeLog();
    await writePrivateFileAtomic(
      this.options.path,
      live.map((entry) => `${JSON.stringify(entry)}\n`).join(''),
    );
    this.logLines = live.length;
  }
}

function parseLine(line: string): [string, number] | undefined {
  if (line.trim() === '') {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(line);
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number') {
      return [value[0], value[1]];
    }
  } catch {
    // A torn line left by a crash mid-append carries nothing usable; the rest of the log still counts.
  }
  return undefined;
}
