import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskQueue } from './queue';

describe('a queue on disk', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'agent-queue-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps what was added across a restart, and forgets only what was dropped', () => {
    const file = join(dir, 'receipts.jsonl');
    const queue = new DiskQueue<{ id: string }>(file);
    for (const id of ['a', 'b', 'c']) queue.add({ id });
    queue.drop(1);
    const reopened = new DiskQueue<{ id: string }>(file);
    expect(reopened.size).toBe(2);
    expect(reopened.peek(10)).toEqual([{ id: 'b' }, { id: 'c' }]);
  });

  it('drops the line a power cut left half-written, keeping the whole ones', () => {
    const file = join(dir, 'receipts.jsonl');
    new DiskQueue<{ id: string }>(file).add({ id: 'a' });
    appendFileSync(file, '{"id":"b","item');
    const reopened = new DiskQueue<{ id: string }>(file);
    expect(reopened.peek(10)).toEqual([{ id: 'a' }]);
    reopened.add({ id: 'c' });
    expect(new DiskQueue<{ id: string }>(file).peek(10)).toEqual([{ id: 'a' }, { id: 'c' }]);
  });

  it('keeps only the newest past its limit', () => {
    const file = join(dir, 'heartbeats.jsonl');
    const queue = new DiskQueue<number>(file, 2);
    for (const n of [1, 2, 3]) queue.add(n);
    expect(queue.peek(10)).toEqual([2, 3]);
    expect(readFileSync(file, 'utf8')).toBe('2\n3\n');
  });
});
