// The EBDT_<EBDID>.tar a package travels in: a flat ustar archive of the EBDB
// file, its EBDS signature and any resources (the alert's audio). Read in
// memory with limits on count and size, since it comes from outside.
import { Readable } from 'node:stream';
import { extract, pack } from 'tar-stream';
import { ResultCode } from './codes';
import { refuse } from './ebd-rejected';

export interface TarFile {
  name: string;
  data: Buffer;
}

const MAX_FILES = 64;

export async function packTar(files: readonly TarFile[], modified = new Date()): Promise<Buffer> {
  const archive = pack();
  for (const file of files)
    archive.entry({ name: file.name, size: file.data.length, mtime: modified, mode: 0o644 }, file.data);
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The regular files of an archive, by base name (a directory some senders put them in is dropped). */
export async function unpackTar(archive: Buffer): Promise<TarFile[]> {
  // A tar is blocks of 512 bytes whose first block names a file: anything else is not one.
  if (archive.length < 512 || archive.length % 512 !== 0 || archive.subarray(257, 262).toString('latin1') !== 'ustar')
    refuse(ResultCode.ParseFailure, 'the package is not a tar archive (ustar)');
  const files: TarFile[] = [];
  const reader = extract();
  const done = (async () => {
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (entry.header.type !== 'file') continue;
      if (files.length === MAX_FILES) refuse(ResultCode.ParseFailure, `the package holds more than ${MAX_FILES} files`);
      files.push({ name: entry.header.name.split('/').pop() ?? '', data: Buffer.concat(chunks) });
    }
  })();
  Readable.from([archive]).pipe(reader);
  try {
    await done;
  } catch (error) {
    if (error instanceof Error && error.name === 'EbdRejected') throw error;
    refuse(ResultCode.ParseFailure, `the package is not a readable tar archive: ${(error as Error).message}`);
  }
  return files;
}
