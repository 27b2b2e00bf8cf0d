import { sniffContainer } from './audio-container';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => Uint8Array.from(Buffer.from(value, 'latin1'));

describe('the container a speaker sends', () => {
  it('is told by its first bytes', () => {
    expect(sniffContainer(bytes(0x1a, 0x45, 0xdf, 0xa3, 0x9f))).toBe('matroska');
    expect(sniffContainer(text('OggS\u0000\u0002'))).toBe('ogg');
    expect(sniffContainer(text('ID3\u0004\u0000'))).toBe('mp3');
    expect(sniffContainer(bytes(0xff, 0xfb, 0x90, 0x64))).toBe('mp3');
    expect(sniffContainer(text('RIFF\u0024\u0000\u0000\u0000WAVEfmt '))).toBe('wav');
  });

  it('waits for more bytes when too few have come', () => {
    expect(sniffContainer(bytes(0x1a, 0x45))).toBe('more');
    expect(sniffContainer(text('RIFF\u0024\u0000'))).toBe('more');
  });

  it('refuses what is not audio', () => {
    expect(sniffContainer(text('<!doctype html><html>'))).toBeNull();
    expect(sniffContainer(text('RIFF\u0024\u0000\u0000\u0000AVI LIST'))).toBeNull();
    expect(sniffContainer(bytes(0x89, 0x50, 0x4e, 0x47))).toBeNull();
    // A reserved MPEG layer is no MP3 frame.
    expect(sniffContainer(bytes(0xff, 0xf9, 0x90, 0x64))).toBeNull();
  });
});
