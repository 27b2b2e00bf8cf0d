import type { components } from '../../api/schema.gen';

export type Item = components['schemas']['RedemptionItem'];
export type Check = components['schemas']['RedemptionCheck'];
export type Receipt = components['schemas']['RedemptionReceipt'];

// The code a volunteer's card shows: V1.<volunteer id>.<expiry>.<signature> (src/auth/volunteer-codes.ts).
const CODE = /V1\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.\d{1,12}\.[A-Za-z0-9_-]+/;

/**
 * The volunteer's code in what a scanner read: a keyboard-wedge scanner types
 * the QR code's text, which may be the code itself or a link that carries it.
 * Whatever else is there is left behind; text without a code goes to the
 * server as typed, which says it is not valid.
 */
export function codeFromScan(scanned: string): string {
  return scanned.match(CODE)?.[0] ?? scanned.trim();
}

/** Why the counter cannot hand it over, before asking the server to (it checks again), or null. */
export function shortfall(check: Check): 'points' | 'stock' | null {
  if (!check.enoughStock) return 'stock';
  if (!check.enoughPoints) return 'points';
  return null;
}

/** Whether the browser can read QR codes from the camera itself (BarcodeDetector: Chrome on Android, Edge, Safari 17+). */
export function canScanWithCamera(): boolean {
  return typeof window !== 'undefined' && 'BarcodeDetector' in window && !!navigator.mediaDevices?.getUserMedia;
}
