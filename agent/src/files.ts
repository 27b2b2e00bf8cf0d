import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** fsync a directory, so a rename in it survives a power cut (not every file system needs it; ext4 on an SD card does). */
export function syncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `file` whole or not at all: written beside it, flushed to the card,
 * renamed over it. A power cut leaves the old contents or the new, never half.
 */
export function writeAtomic(file: string, contents: string, mode = 0o644): void {
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w', mode);
  try {
    writeSync(fd, contents);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
  syncDirectory(dirname(file));
}

/** Appends one line and flushes it: what is queued stays queued through a power cut. */
export function appendDurable(file: string, line: string): void {
  const fd = openSync(file, 'a', 0o600);
  try {
    writeSync(fd, `${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
