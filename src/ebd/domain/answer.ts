// The EBDResponse a package is answered with, when no county platform here
// can sign it (the package named none we have): it goes unsigned.
import type { EbdHeader } from './package';
import { writeEbd } from './package';
import type { SealedPackage } from './seal';
import { packTar } from './tar';
import type { XmlContent } from './xml-writer';

/** An EBDT tar with the EBDB file alone, no EBDS signature. */
export async function unsignedPackage(header: EbdHeader, detail: XmlContent): Promise<SealedPackage> {
  const tar = await packTar([{ name: `EBDB_${header.ebdId}.xml`, data: writeEbd(header, detail) }], header.time);
  return { header, fileName: `EBDT_${header.ebdId}.tar`, tar };
}

/** The sender's EBRID inside an EBDID (type 01/10, EBRID, 16-digit sequence). */
export const senderOfEbdId = (ebdId: string): string => ebdId.slice(2, -16);
