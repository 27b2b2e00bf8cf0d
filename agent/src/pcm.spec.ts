import { applyGain, PcmQueue, volumeDb, volumeGain } from './pcm';

describe('volume', () => {
  it('maps 0–100 to 40·log10(volume/100) dB', () => {
    expect(volumeDb(100)).toBe(0);
    expect(volumeDb(50)).toBeCloseTo(-12.04, 2);
    expect(volumeDb(10)).toBeCloseTo(-40, 5);
    expect(volumeDb(0)).toBe(-Infinity);
    expect(20 * Math.log10(volumeGain(50, false))).toBeCloseTo(volumeDb(50), 9);
    expect(volumeGain(80, true)).toBe(0);
  });

  it('scales samples and clips at full scale', () => {
    const pcm = Buffer.alloc(6);
    [1000, -32768, 32767].forEach((sample, i) => pcm.writeInt16LE(sample, i * 2));
    applyGain(pcm, 0.25);
    expect([0, 1, 2].map((i) => pcm.readInt16LE(i * 2))).toEqual([250, -8192, 8192]);
  });
});

describe('decoded audio waiting to air', () => {
  it('keeps a sample split between two chunks whole', () => {
    const queue = new PcmQueue();
    queue.push(Buffer.from([1, 2, 3]));
    queue.push(Buffer.from([4, 5, 6]));
    const target = Buffer.alloc(4);
    expect(queue.take(1)).toBe(1);
    expect(queue.take(4, target)).toBe(4);
    expect([...target]).toEqual([2, 3, 4, 5]);
    expect(queue.take(4, target)).toBe(1);
    expect(queue.bytes).toBe(0);
  });
});
