import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * A generated password, written where only the service's own user can read it
 * (mode 0600) instead of into the log, where anyone who reads logs would see
 * it. Written to a temporary file first, so a password is never kept for an
 * account another process created, and a file that cannot be written stops
 * the start before the account exists (else nobody would know its password).
 */
export class GeneratedPasswordFile {
  private constructor(
    readonly path: string,
    private readonly staged: string,
  ) {}

  static async stage(path: string, password: string): Promise<GeneratedPasswordFile> {
    const target = resolve(path);
    const staged = `${target}.${process.pid}.tmp`;
    try {
      await writeFile(staged, `${password}\n`, { mode: 0o600 });
      await chmod(staged, 0o600); // the mode applies only to a new file; make sure of it
    } catch (error) {
      throw new Error(
        `cannot write the generated admin password to ${target} (ADMIN_PASSWORD_FILE): ${(error as Error).message}`,
        { cause: error },
      );
    }
    return new GeneratedPasswordFile(target, staged);
  }

  /** The account was created with this password: put the file in place. */
  keep(): Promise<void> {
    return rename(this.staged, this.path);
  }

  discard(): Promise<void> {
    return rm(this.staged, { force: true });
  }
}
