import { ConflictException, Inject, Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppConfig, ConfigError } from '../infra/config/config';
import { APP_CONFIG } from '../infra/config/config.module';
import { badRequest } from '../infra/http/error-body';
import { addDays, COUNTY_TIME_ZONE, countyDate, countyInstant } from '../kernel/county-time';
import { AnchoredHead, keyIdOf, signAnchor, SignedAnchor, signatureHolds } from './domain/anchors';
import { GENESIS_HASH } from './domain/hash-chain';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

export type AnchorCheck =
  { ok: true; date: string; seq: string; hash: string } | { ok: false; date: string; seq: string; reason: string };

/**
 * Signs the verified head of each county day with LEDGER_ANCHOR_KEY_FILE and
 * checks a saved anchor against the chain as it is now.
 */
@Injectable()
export class LedgerAnchors implements OnModuleInit {
  private readonly logger = new Logger('LedgerAnchors');
  private key?: { privateKey: KeyObject; publicKey: KeyObject; keyId: string };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly entries: LedgerRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    const file = this.config.ledgerAnchors.keyFile;
    if (!file) return;
    const privateKey = await this.loadOrCreateKey(file);
    this.key = { privateKey, publicKey: createPublicKey(privateKey), keyId: keyIdOf(privateKey) };
  }

  /** The key of the file, or a new one written there (readable by the service user only) on first start. */
  private async loadOrCreateKey(file: string): Promise<KeyObject> {
    let pem = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw new ConfigError(`Invalid configuration: LEDGER_ANCHOR_KEY_FILE ${file} cannot be read (${error.code})`);
    });
    if (pem === null) {
      const fresh = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await mkdir(dirname(file), { recursive: true });
      // Written aside and linked into place: a process starting alongside keeps whichever key won.
      const aside = `${file}.${process.pid}.tmp`;
      await writeFile(aside, fresh, { mode: 0o600 });
      const created = await link(aside, file).then(
        () => true,
        () => false,
      );
      await rm(aside, { force: true });
      pem = await readFile(file, 'utf8');
      if (created)
        this.logger.log(
          `generated the ledger anchor key ${file}; verifiers need only its public key: GET /api/v1/ledger/anchors/key`,
        );
    }
    try {
      const key = createPrivateKey(pem);
      if (key.asymmetricKeyType === 'ed25519') return key;
    } catch {
      // reported below
    }
    throw new ConfigError(
      `Invalid configuration: LEDGER_ANCHOR_KEY_FILE ${file} is not an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)`,
    );
  }

  private signingKey() {
    if (!this.key)
      throw new NotFoundException('ledger anchors are not configured on this installation: set LEDGER_ANCHOR_KEY_FILE');
    return this.key;
  }

  publicKey() {
    const { publicKey, keyId } = this.signingKey();
    return {
      algorithm: 'Ed25519' as const,
      keyId,
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }

  /** The head of the chain at the end of a county date (so far, for today), verified from the first entry, signed. */
  async anchor(date: string, now = new Date()): Promise<SignedAnchor> {
    const { privateKey } = this.signingKey();
    const today = countyDate(now);
    if (date > today)
      throw badRequest(`${date} has not begun in county time (today is ${today})`, [
        { path: 'params.date', message: 'must not be after today' },
      ]);
    const head = await this.entries.headBefore(countyInstant(addDays(date, 1), 0));
    if (head) {
      const checked = await this.ledger.verifyThrough(head.seq);
      if (!checked.ok)
        throw new ConflictException(
          `the chain breaks at entry ${checked.firstBadSeq} (${checked.reason}): no anchor is signed over it`,
        );
    }
    const anchored: AnchoredHead = {
      date,
      timeZone: COUNTY_TIME_ZONE,
      seq: head?.seq.toString() ?? '0',
      hash: head?.hash ?? GENESIS_HASH,
      final: date < today,
    };
    return signAnchor(anchored, privateKey);
  }

  /** Whether a saved anchor is this installation's, and the chain still holds its entry with its hash. */
  async check(anchor: SignedAnchor): Promise<AnchorCheck> {
    const { publicKey, keyId } = this.signingKey();
    const { date, seq } = anchor;
    const refused = (reason: string): AnchorCheck => ({ ok: false, date, seq, reason });
    if (anchor.keyId !== keyId)
      return refused(`signed by another key (${anchor.keyId}); this installation signs with ${keyId}`);
    if (!signatureHolds(anchor, publicKey))
      return refused('the signature does not match: the anchor was altered after it was signed');
    if (seq !== '0') {
      const entry = await this.entries.find(BigInt(seq));
      if (!entry) return refused(`entry ${seq} is no longer in the chain: it was cut`);
      if (entry.hash !== anchor.hash)
        return refused(
          `entry ${seq} now has hash ${entry.hash}, but on ${date} it had ${anchor.hash}: the chain was rewritten`,
        );
      const checked = await this.ledger.verifyThrough(entry.seq);
      if (!checked.ok) return refused(`the chain breaks at entry ${checked.firstBadSeq}: ${checked.reason}`);
    }
    return { ok: true, date, seq, hash: anchor.hash };
  }

  /** Whether anchors are written to a folder each day. */
  get exporting(): boolean {
    return Boolean(this.config.ledgerAnchors.dir && this.key);
  }

  /**
   * Writes the anchor of a past date to LEDGER_ANCHOR_DIR as <date>.json,
   * never over one written before: that copy is the evidence.
   */
  async export(date: string): Promise<string | null> {
    const dir = this.config.ledgerAnchors.dir;
    if (!dir || !this.exporting) return null;
    const file = join(dir, `${date}.json`);
    await mkdir(dir, { recursive: true });
    const written = await writeFile(file, `${JSON.stringify(await this.anchor(date), null, 2)}\n`, { flag: 'wx' }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        throw error;
      },
    );
    return written ? file : null;
  }
}
