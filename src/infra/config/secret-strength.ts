// Whether a signing secret could be guessed: a placeholder copied from an
// example, or too little randomness. Pure, so config validation can use it.

export const MIN_SECRET_BITS = 128;
const HINT = 'generate one with: openssl rand -hex 32';

// Words of placeholders people copy ("change-me…", "your-secret-here"). None
// can occur in hex; in base64 output a six-letter word is a one-in-ten-million chance.
const PLACEHOLDER_WORDS = ['changeme', 'secret', 'password', 'example', 'placeholder', 'replace'];

/** Why a secret is unfit, or null if it is fit. */
export function secretWeakness(secret: string): string | null {
  const letters = secret.toLowerCase().replace(/[^a-z0-9]/g, '');
  const word = PLACEHOLDER_WORDS.find((candidate) => letters.includes(candidate));
  if (word) return `is a placeholder (it contains "${word}"); ${HINT}`;
  const bits = estimatedBits(secret);
  if (bits < MIN_SECRET_BITS)
    return `is too easy to guess (about ${Math.floor(bits)} bits; at least ${MIN_SECRET_BITS} needed); ${HINT}`;
  return null;
}

/**
 * The secret's length times the Shannon entropy of its own characters: 64 hex
 * digits give about 240, one character repeated 0. A secret that is one
 * shorter piece repeated counts as that piece.
 */
export function estimatedBits(secret: string): number {
  const piece = /^(.+?)\1+$/s.exec(secret)?.[1] ?? secret;
  const counts = new Map<string, number>();
  for (const char of piece) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...piece].length;
  let perChar = 0;
  for (const count of counts.values()) perChar -= (count / length) * Math.log2(count / length);
  return perChar * length;
}
