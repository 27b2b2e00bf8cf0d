import { canonicalJson, type ChainedEntry, checkLink, entryHash, GENESIS_HASH, NotCanonical } from './hash-chain';

function entry(seq: number, prevHash: string, payload: ChainedEntry['payload'] = { attendance: 42 }): ChainedEntry {
  return {
    seq: String(seq),
    prevHash,
    kind: 'lecture_session',
    actorId: '5f0e4a53-8c1b-4d0e-9a57-0d3c5a8f8a11',
    regionCode: '520628001001',
    countyCode: '520628000000',
    townshipCode: '520628001000',
    occurredAt: '2026-11-20T09:30:00.000Z',
    recordedAt: '2026-11-20T11:02:13.517Z',
    subject: 'lecture-session:9d9c3f0e-2b7a-4a4e-8e8e-1b2c3d4e5f60',
    corrects: null,
    payload,
    dedupeKey: null,
  };
}

function chain(length: number): Array<{ entry: ChainedEntry; hash: string }> {
  const links: Array<{ entry: ChainedEntry; hash: string }> = [];
  for (let seq = 1; seq <= length; seq++) {
    const e = entry(seq, links.at(-1)?.hash ?? GENESIS_HASH, { attendance: seq * 10 });
    links.push({ entry: e, hash: entryHash(e) });
  }
  return links;
}

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops nothing but undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: '讲' }, skip: undefined })).toBe(
      '{"a":{"c":"讲","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });
  it('is the same whatever order the keys came in (as jsonb gives them back)', () => {
    expect(canonicalJson({ lecturers: ['x'], minutes: 90, attendance: 120 })).toBe(
      canonicalJson({ attendance: 120, minutes: 90, lecturers: ['x'] }),
    );
  });
  it('refuses values JSON cannot carry exactly', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(NotCanonical);
    expect(() => canonicalJson({ at: new Date(0) })).toThrow(/Date/);
    expect(() => canonicalJson({ big: 1n })).toThrow(NotCanonical);
  });
});

describe('the hash chain', () => {
  it('hashes the previous hash with the entry: any field changes the hash', () => {
    const first = entry(1, GENESIS_HASH);
    const hash = entryHash(first);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash({ ...first })).toBe(hash);
    for (const changed of [
      { ...first, payload: { attendance: 43 } },
      { ...first, regionCode: '520628001002' },
      { ...first, occurredAt: '2026-11-20T09:30:00.001Z' },
      { ...first, prevHash: 'f'.repeat(64) },
    ]) {
      expect(entryHash(changed)).not.toBe(hash);
    }
  });

  it('holds link by link for an untouched chain', () => {
    const links = chain(5);
    links.forEach(({ entry: e, hash }, index) => {
      const previous = index ? { seq: links[index - 1].entry.seq, hash: links[index - 1].hash } : null;
      expect(checkLink(previous, e, hash)).toBeNull();
    });
  });

  it('names the entry whose contents were edited after it was written', () => {
    const links = chain(3);
    const edited = { ...links[1].entry, payload: { attendance: 9999 } };
    expect(checkLink({ seq: '1', hash: links[0].hash }, edited, links[1].hash)).toEqual({
      seq: '2',
      reason: expect.stringMatching(/changed after it was written/),
    });
  });

  it('names the place where an entry was removed, or a link rewritten', () => {
    const links = chain(3);
    expect(checkLink({ seq: '1', hash: links[0].hash }, links[2].entry, links[2].hash)).toEqual({
      seq: '3',
      reason: expect.stringMatching(/expected seq 2/),
    });
    const relinked = { ...links[1].entry, prevHash: 'a'.repeat(64) };
    expect(checkLink({ seq: '1', hash: links[0].hash }, relinked, entryHash(relinked))).toEqual({
      seq: '2',
      reason: expect.stringMatching(/prevHash/),
    });
    expect(checkLink(null, links[1].entry, links[1].hash)).toEqual({
      seq: '2',
      reason: expect.stringMatching(/expected seq 1/),
    });
  });
});
