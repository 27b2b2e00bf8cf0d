import { ApiFailure } from '../../api/errors';
import type { components } from '../../api/schema.gen';
import type { Locale, Translate } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import type { mediaMessages } from './messages';

export type Media = components['schemas']['Media'];
type MediaKey = keyof (typeof mediaMessages)['zh-CN'];

/** Sizes the way a person reads them: 1.1 MB, 820 KB. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

/** The server's durations ("5 min 3 s", "2 h 10 min") in Chinese. */
function chineseDuration(text: string): string {
  return text.replace(/(\d+(?:\.\d+)?)\s*(h|min|s)\b/g, (_whole, n: string, unit: string) => {
    return `${n}${{ h: ' 小时', min: ' 分', s: ' 秒' }[unit]}`;
  });
}

/**
 * Why the media pipeline refused a file, in Chinese. The server states its
 * reasons in English (they are its contract with every client); the few it
 * has are said again here, and one the console does not know is shown as is.
 */
const REASONS: Array<[RegExp, (...parts: string[]) => string]> = [
  [/^not a media file/, () => '不是音频或视频文件'],
  [/^no audio stream: the file holds only video/, () => '文件只有画面，没有声音'],
  [/^no audio stream/, () => '文件里没有声音'],
  [/lasts 0 seconds/, () => '文件时长为 0 秒，没有可播出的声音'],
  [/^no audio could be decoded/, () => '无法从文件中读出声音'],
  [
    /^file is truncated: it plays (.+) of the (.+) its header declares/,
    (plays, declared) => `文件不完整：只能播放 ${chineseDuration(plays)}，文件头写的是 ${chineseDuration(declared)}`,
  ],
  [/^silent/, () => '全是静音，没有可播出的内容'],
  [/^too long: (.+) \(the limit is (.+)\)/, (length, limit) => `太长：${chineseDuration(length)}（上限 ${chineseDuration(limit)}）`],
  [/^the audio could not be decoded/, () => '音频无法解码：文件已损坏或格式不受支持'],
  [/no longer on the server/, () => '上传的文件已不在服务器上，请重新上传'],
  [/has no voice "(.+)"/, (voice) => `语音合成没有“${voice}”这种声音`],
];

export function failureReason(error: string, locale: Locale): string {
  if (locale === 'en') return error;
  for (const [pattern, say] of REASONS) {
    const match = pattern.exec(error);
    if (match) return say(...match.slice(1));
  }
  return error;
}

/**
 * A media quota refusal (429) in the reader's words: which quota, how much is
 * used and when it starts afresh, in county time. Undefined for other failures.
 */
export function quotaNote(error: unknown, t: Translate<MediaKey>): string | undefined {
  if (!(error instanceof ApiFailure) || error.status !== 429) return undefined;
  const detail = error.body?.details?.find((d) => typeof d.quota === 'string');
  if (!detail) return undefined;
  const resets = countyDateTime(typeof detail.resetsAt === 'string' ? detail.resetsAt : null);
  const used = Number(detail.used);
  const limit = Number(detail.limit);
  if (detail.quota === 'queued') return t('quotaQueued', { used, limit });
  if (detail.quota === 'bytesPerDay') return t('quotaBytes', { used: formatBytes(used), limit: formatBytes(limit), resets });
  return t('quotaChars', { used, limit, resets });
}

/** Poll while anything on the page is still being processed; stop once all have settled. */
export function anyProcessing(items: Media[] | undefined): boolean {
  return !!items?.some((item) => item.status === 'processing');
}
