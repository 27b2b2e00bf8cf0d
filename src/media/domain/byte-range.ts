// HTTP Range for a single file (RFC 9110 §14). One range is served as 206;
// several ranges, or a header we cannot read, are answered with the whole
// file, which the RFC allows; a range wholly past the end is 416.

export type RangeAnswer =
  | { kind: 'whole' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

export function answerRange(header: string | undefined, size: number): RangeAnswer {
  if (!header) return { kind: 'whole' };
  const match = /^bytes=\s*(\d*)-(\d*)\s*$/.exec(header);
  if (!match || (!match[1] && !match[2])) return { kind: 'whole' };
  const [, first, last] = match;
  if (!first) {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: last ? Math.min(Number(last), size - 1) : size - 1 };
}
