// A package as this platform sends it: the EBDB written once, signed over its
// exact bytes, and both put in EBDT_<EBDID>.tar.
import { type EbdHeader, writeEbd } from './package';
import { type SignatureLayout, writeSignatureFile } from './signature';
import { packTar } from './tar';
import type { XmlContent } from './xml-writer';

/** Signs bytes with SM2-SM3: a key file, or (later) a crypto card. */
export interface Signer {
  /** The certificate serial the signatures name (CertSN). */
  readonly certSn: string;
  /** r‖s, 64 bytes. */
  sign(data: Buffer): Promise<Buffer>;
}

export interface SealedPackage {
  header: EbdHeader;
  fileName: string;
  tar: Buffer;
}

export async function sealPackage(
  header: EbdHeader,
  detail: XmlContent,
  signing: { signer: Signer; layout: SignatureLayout },
  resources: ReadonlyArray<{ name: string; data: Buffer }> = [],
): Promise<SealedPackage> {
  const ebdb = writeEbd(header, detail);
  const signature = await signing.signer.sign(ebdb);
  const ebds = writeSignatureFile({
    layout: signing.layout,
    relatedEbdId: header.ebdId,
    certSn: signing.signer.certSn,
    signedAt: header.time,
    signature,
  });
  const tar = await packTar(
    [
      { name: `EBDB_${header.ebdId}.xml`, data: ebdb },
      { name: `EBDS_EBDB_${header.ebdId}.xml`, data: ebds },
      ...resources,
    ],
    header.time,
  );
  return { header, fileName: `EBDT_${header.ebdId}.tar`, tar };
}
