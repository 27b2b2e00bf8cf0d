import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ebm, type EbmMessage } from '../../src/ebd/domain/details';
import { ebdIdOfFileName, openPackage } from '../../src/ebd/domain/received';
import type { SealedPackage } from '../../src/ebd/domain/seal';
import { writeSignatureFile } from '../../src/ebd/domain/signature';
import { generateSm2KeyPair, sm2Sign } from '../../src/ebd/domain/sm2';
import { packTar, unpackTar } from '../../src/ebd/domain/tar';
import { optionalText } from '../../src/ebd/domain/xml-reader';
import { ebmDate } from '../../src/ebd/domain/ebd-time';
import type { SignatureLayout } from '../../src/ebd/domain/signature';
import { locateMediaTools } from '../../src/media/tools/locate-tools';
import { PrismaService } from '../../src/infra/database/prisma.service';
import { UpperPlatform } from '../../src/sim/upper/upper-platform';
import { startApp, type TestApp } from './app';
import { dockCounty, TONGREN_PLATFORM } from './ebd';
import { adminToken, importSongtao } from './factories';

/** The city platform with a key the test holds, so it can sign EBDB bytes the codec would never write. */
export async function startKeyedUpper(layout: SignatureLayout = 'sm2_sm3') {
  const { privateKey } = generateSm2KeyPair();
  const upper = await UpperPlatform.start({ ebrid: TONGREN_PLATFORM, privateKey, layout });
  return { upper, privateKey };
}

/** A Songtao app docked with a keyed upper platform: what every receiving test starts from. */
export async function startDockedApp(env: Record<string, string> = {}) {
  const { upper, privateKey } = await startKeyedUpper();
  const t = await startApp(env);
  const admin = await adminToken(t);
  await importSongtao(t, admin);
  await dockCounty(t, admin, upper);
  return { t, upper, upperKey: privateKey, admin };
}

let messages = 0;
/** A fresh EBMID of the upper platform. */
export const nextEbmId = (upperEbrid: string) =>
  `${upperEbrid}${ebmDate(new Date())}${String(++messages).padStart(4, '0')}`;

/** An EBM for some areas, an hour long from now, spoken by TTS unless it carries audio. */
export function ebmFor(upperEbrid: string, areaCodes: string[], overrides: Partial<EbmMessage> = {}) {
  const now = new Date();
  return ebm({
    ebmId: nextEbmId(upperEbrid),
    msgType: 1,
    senderName: '铜仁市应急广播中心',
    senderCode: upperEbrid,
    sendTime: now,
    eventType: '11B03',
    severity: 2,
    startTime: now,
    endTime: new Date(now.getTime() + 3600_000),
    title: '暴雨橙色预警',
    description: '请注意防范强降雨和山洪',
    areaCodes,
    ...overrides,
  });
}

/** Two seconds of tone as an MP3, made by ffmpeg. */
export function mp3Tone(seconds = 2): Buffer {
  const { ffmpeg } = locateMediaTools({});
  return execFileSync(
    ffmpeg.command,
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=660:sample_rate=44100:duration=${seconds}`,
      '-c:a',
      'libmp3lame',
      '-b:a',
      '64k',
      '-f',
      'mp3',
      'pipe:1',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
}

export const sm3Hex = (data: Buffer) => createHash('sm3').update(data).digest('hex');

/** A package sealed the usual way, with its EBDB swapped for other bytes and signed again with the upper platform's key. */
export async function resealed(
  sealed: SealedPackage,
  privateKey: string,
  ebdb: Buffer,
  layout: SignatureLayout = 'sm2_sm3',
): Promise<SealedPackage> {
  const files = await unpackTar(sealed.tar);
  const ebdId = ebdIdOfFileName(sealed.fileName)!;
  const signature = writeSignatureFile({
    layout,
    relatedEbdId: ebdId,
    certSn: '000000000001',
    signedAt: sealed.header.time,
    signature: sm2Sign(ebdb, privateKey),
  });
  const tar = await packTar(
    files.map((file) =>
      file.name.startsWith('EBDB_')
        ? { ...file, data: ebdb }
        : file.name.startsWith('EBDS_')
          ? { ...file, data: signature }
          : file,
    ),
  );
  return { ...sealed, tar };
}

/** The county's answer to raw bytes POSTed as a body, as some senders do. */
export async function postRaw(t: TestApp, body: Buffer, contentType = 'application/x-tar') {
  const response = await fetch(`${t.url}/api/v1/ebd/exchange`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new Uint8Array(body),
  });
  const tar = Buffer.from(await response.arrayBuffer());
  const answer = await openPackage(tar, 1024 * 1024);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
    answer,
    resultCode: Number(optionalText(answer.detail, 'ResultCode')),
  };
}

/** Rows of what an EBM may change: alerts, messages, media. */
export async function changes(t: TestApp) {
  const prisma = t.app.get(PrismaService);
  const [emergencies, messages, media] = await Promise.all([
    prisma.emergency.count(),
    prisma.ebdMessage.count(),
    prisma.media.count(),
  ]);
  return { emergencies, messages, media };
}
