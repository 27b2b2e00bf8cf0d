import { CAP_MAX_BYTES } from './decode';
import { parseCap } from './parse';
import { BASE, rejection } from '../../../../tests/helpers/cap';

describe('parseCap: size and encodings', () => {
  const [head, tail] = BASE.split('预计未来3小时内将出现50毫米以上降雨。');
  const padded = (descriptionBytes: number) =>
    Buffer.concat([Buffer.from(head), Buffer.alloc(descriptionBytes, 'A'), Buffer.from(tail)]);

  it('refuses the 5 MiB alert of make-oversize.sh before parsing it', () => {
    expect(rejection(() => parseCap(padded(5 * 1024 * 1024)))).toMatch(
      /^the document is larger than 1 MiB \(\d+ bytes\)$/,
    );
  });

  it('takes exactly 1 MiB and refuses one byte more', () => {
    const frame = padded(0).length;
    expect(parseCap(padded(CAP_MAX_BYTES - frame)).infos[0].description).toHaveLength(CAP_MAX_BYTES - frame);
    expect(rejection(() => parseCap(padded(CAP_MAX_BYTES - frame + 1)))).toMatch(/larger than 1 MiB/);
  });

  it('counts a string in UTF-8 bytes, not characters', () => {
    const chinese = `${head}${'洪'.repeat(400_000)}${tail}`; // 400k characters, 1.2 MB
    expect(rejection(() => parseCap(chinese))).toMatch(/larger than 1 MiB/);
  });

  it('reads GBK, UTF-16 with a byte-order mark and UTF-8 with one', () => {
    const gbk = Buffer.concat([
      Buffer.from(head.replace('encoding="UTF-8"', 'encoding="GBK"').replace(/[^\x00-\x7f]+/g, 'X')),
      Buffer.from([0xb1, 0xa9, 0xd3, 0xea]), // 暴雨 in GBK
      Buffer.from(tail.replace(/[^\x00-\x7f]+/g, 'X')),
    ]);
    expect(parseCap(gbk).infos[0].description).toBe('暴雨');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASE.replace('UTF-8', 'UTF-16'), 'utf16le')]);
    expect(parseCap(utf16).infos[0].event).toBe('暴雨橙色预警');
    expect(parseCap(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BASE)])).identifier).toBe('TEST-1');
  });

  it('refuses bytes that are not what the declaration says, and encodings it cannot read', () => {
    const western = BASE.replace('暴雨橙色预警', 'Usulután').replace(/[^\x00-\xff]+/g, 'X');
    expect(rejection(() => parseCap(Buffer.from(western, 'latin1')))).toBe('the bytes are not valid UTF-8 text');
    expect(parseCap(Buffer.from(western.replace('UTF-8', 'ISO-8859-1'), 'latin1')).infos[0].event).toBe('Usulután');
    expect(rejection(() => parseCap(Buffer.from(BASE.replace('UTF-8', 'x-martian'))))).toBe(
      'unsupported encoding "x-martian"',
    );
  });
});
