/**
 * The one rule for text people type that others will read: names and titles
 * shown on loudspeakers, consoles and reports, and the notes and comments
 * around them. Postgres cannot store NUL or a lone surrogate; and characters
 * that are not seen but change what is seen (bidirectional overrides, zero
 * width spaces, control characters) let a title read differently from what
 * it is, e.g. "村委会\u202E口门" shown as "村委会门口". Chinese text, full-width
 * punctuation and emoji (including joined ones such as 👨‍👩‍👧) pass.
 */

export type TextLines = 'single' | 'multi';

export type HiddenKind = 'unstorable' | 'control' | 'bidi' | 'invisible';

export interface HiddenCharacter {
  kind: HiddenKind;
  codePoint: number;
  /** 1-based position among the text's characters (code points). */
  position: number;
}

const ZWJ = 0x200d;
const VARIATION_SELECTOR_16 = 0xfe0f;
const CANCEL_TAG = 0xe007f;
const EMOJI = /\p{Extended_Pictographic}/u;
const SKIN_TONE = /[\u{1F3FB}-\u{1F3FF}]/u;

const BIDI = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

// Blank or zero-width characters that render as nothing (or as a space) and
// serve to make two names look alike: soft hyphen, Hangul fillers, Khmer
// inherent vowels, Mongolian vowel separator, zero-width space/joiners, word
// joiner and invisible operators, deprecated format characters, BOM,
// interlinear annotation marks, and tag characters.
const INVISIBLE_RANGES: Array<[number, number]> = [
  [0x00ad, 0x00ad],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180e, 0x180e],
  [0x200b, 0x200d],
  [0x2060, 0x2064],
  [0x206a, 0x206f],
  [0x3164, 0x3164],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff9, 0xfffb],
  [0xe0000, 0xe007f],
];

const inRanges = (codePoint: number, ranges: Array<[number, number]>) =>
  ranges.some(([from, to]) => codePoint >= from && codePoint <= to);

function isControl(codePoint: number, lines: TextLines): boolean {
  if (lines === 'multi' && (codePoint === 0x09 || codePoint === 0x0a)) return false;
  // C0, DEL and C1; and the Unicode line and paragraph separators, which break a line like \n does.
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    (lines === 'single' && (codePoint === 0x2028 || codePoint === 0x2029))
  );
}

const isEmojiPart = (char: string | undefined) =>
  char !== undefined && (EMOJI.test(char) || SKIN_TONE.test(char) || char.codePointAt(0) === VARIATION_SELECTOR_16);

/**
 * A zero-width joiner between two emoji makes one picture of them (👨‍👩‍👧); tag
 * characters after a black flag name a subdivision (🏴󠁧󠁢󠁳󠁣󠁴󠁿). Anywhere else they hide.
 */
function joinsEmoji(chars: string[], index: number): boolean {
  const codePoint = chars[index].codePointAt(0)!;
  if (codePoint === ZWJ)
    return isEmojiPart(chars[index - 1]) && chars[index + 1] !== undefined && EMOJI.test(chars[index + 1]);
  if (codePoint < 0xe0020 || codePoint > CANCEL_TAG) return false;
  let start = index;
  while (start > 0 && chars[start - 1].codePointAt(0)! >= 0xe0020 && chars[start - 1].codePointAt(0)! <= CANCEL_TAG)
    start--;
  return start > 0 && EMOJI.test(chars[start - 1]);
}

function kindOf(chars: string[], index: number, lines: TextLines): HiddenKind | null {
  const char = chars[index];
  const codePoint = char.codePointAt(0)!;
  if (codePoint === 0 || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return 'unstorable';
  if (isControl(codePoint, lines)) return 'control';
  if (BIDI.has(codePoint)) return 'bidi';
  if (inRanges(codePoint, INVISIBLE_RANGES) && !joinsEmoji(chars, index)) return 'invisible';
  return null;
}

/** The first character the rule refuses, or null. `multi` allows tab and line feed, for text that runs over lines. */
export function findHiddenCharacter(text: string, lines: TextLines): HiddenCharacter | null {
  // Iterating a string yields code points, and a lone surrogate as itself.
  const chars = [...text];
  for (let index = 0; index < chars.length; index++) {
    const kind = kindOf(chars, index, lines);
    if (kind) return { kind, codePoint: chars[index].codePointAt(0)!, position: index + 1 };
  }
  return null;
}

/** The text with every character the rule refuses left out: for titles the service derives (from a file name, say) rather than refuses. */
export function withoutHiddenCharacters(text: string, lines: TextLines): string {
  const chars = [...text];
  return chars.filter((_, index) => kindOf(chars, index, lines) === null).join('');
}

const DESCRIPTION: Record<HiddenKind, string> = {
  unstorable: 'a NUL or unpaired surrogate character',
  control: 'a control character',
  bidi: 'a bidirectional control character',
  invisible: 'an invisible character',
};

/** What a person is told: the kind of character, which one and where. */
export function describeHiddenCharacter({ kind, codePoint, position }: HiddenCharacter): string {
  const code = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return `must not contain ${DESCRIPTION[kind]} (${code} at character ${position})`;
}

/** The problem with a text, for a person, or null when it passes. */
export function hiddenCharacterProblem(text: string, lines: TextLines): string | null {
  const found = findHiddenCharacter(text, lines);
  return found && describeHiddenCharacter(found);
}

/** Whether Postgres can store a text at all (no NUL, no unpaired surrogate). */
export function isStorable(text: string): boolean {
  return !/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}
