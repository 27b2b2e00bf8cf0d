// A package as received: its tar opened, the EBDB read, the EBDS matched to
// it, resources by name. Files are told apart by name, as receivers in the
// field do: EBDB… is the data, EBDS… the signature, anything else a resource.
import type { Element } from '@xmldom/xmldom';
import { ResultCode } from './codes';
import { quote, refuse } from './ebd-rejected';
import { type EbdHeader, readEbd } from './package';
import { readSignatureFile, type SignatureFile } from './signature';
import { sm2Verify } from './sm2';
import { unpackTar } from './tar';

export interface ReceivedPackage {
  header: EbdHeader;
  detail: Element;
  /** The EBDB file's bytes, exactly as received: what the signature covers. */
  ebdb: Buffer;
  signature?: SignatureFile;
  resources: Map<string, Buffer>;
}

const EBDB_NAME = /^EBDB_?(\d*)\.xml$/i;

export async function openPackage(tar: Buffer, maxXmlBytes: number): Promise<ReceivedPackage> {
  const files = await unpackTar(tar);
  const ebdbFile =
    files.find((file) => EBDB_NAME.test(file.name)) ??
    refuse(ResultCode.ParseFailure, 'the tar holds no EBDB_<EBDID>.xml');
  const { header, detail } = readEbd(ebdbFile.data, maxXmlBytes);
  const signatureFile = files.find((file) => /^EBDS_EBDB/i.test(file.name));
  const resources = new Map(files.filter((file) => !/^EBD[BS]/i.test(file.name)).map((file) => [file.name, file.data]));
  const signature = signatureFile && readSignatureFile(signatureFile.data);
  if (signature && signature.relatedEbdId !== header.ebdId)
    refuse(
      ResultCode.SignatureFailure,
      `the signature is for package ${quote(signature.relatedEbdId)}, not ${header.ebdId}`,
    );
  return { header, detail, ebdb: ebdbFile.data, ...(signature ? { signature } : {}), resources };
}

/** The EBDID a package's file names carry (EBDT_… or EBDB_…), for answering one whose XML cannot be read. */
export function ebdIdOfFileName(name: string | undefined): string | undefined {
  return /^EBD[TB]_(\d{36}|\d{41})\.(tar|xml)$/i.exec(name ?? '')?.[1];
}

/**
 * Refuses a package whose signature does not verify with the sender's key.
 * Heartbeats may come unsigned, as most senders in the field send them;
 * everything else must be signed.
 */
export function verifyPackage(received: ReceivedPackage, publicKey: string): void {
  const { signature } = received;
  if (!signature) {
    if (received.header.type === 'ConnectionCheck') return;
    return refuse(ResultCode.SignatureFailure, `the package has no signature (EBDS_EBDB_${received.header.ebdId}.xml)`);
  }
  if (!sm2Verify(received.ebdb, signature.signature, publicKey))
    refuse(ResultCode.SignatureFailure, "the signature does not verify with the sender's public key");
}
