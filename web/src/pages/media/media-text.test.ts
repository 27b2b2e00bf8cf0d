import { ApiFailure } from '../../api/errors';
import { fill } from '../../i18n/i18n';
import { anyProcessing, failureReason, formatBytes, type Media, quotaNote } from './media-text';
import { mediaMessages } from './messages';

const t = (key: keyof (typeof mediaMessages)['zh-CN'], values?: Record<string, string | number>) =>
  fill(mediaMessages['zh-CN'][key], values);

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [820 * 1024, '820 KB'],
    [1_176_560, '1.1 MB'],
    [5 * 1024 ** 3, '5 GB'],
  ])('%s bytes read as %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('failureReason', () => {
  it("says the pipeline's reasons in Chinese, durations included", () => {
    expect(failureReason('not a media file', 'zh-CN')).toBe('不是音频或视频文件');
    expect(failureReason('silent: nothing to broadcast', 'zh-CN')).toBe('全是静音，没有可播出的内容');
    expect(failureReason('too long: 2 h 10 min (the limit is 2 h)', 'zh-CN')).toBe('太长：2 小时 10 分（上限 2 小时）');
    expect(
      failureReason('file is truncated: it plays 10.6 s of the 26.7 s its header declares', 'zh-CN'),
    ).toBe('文件不完整：只能播放 10.6 秒，文件头写的是 26.7 秒');
  });

  it('shows a reason it does not know as the server said it, and English as is', () => {
    expect(failureReason('ffmpeg ran out of memory', 'zh-CN')).toBe('ffmpeg ran out of memory');
    expect(failureReason('not a media file', 'en')).toBe('not a media file');
  });
});

describe('quotaNote', () => {
  const refusal = (detail: Record<string, unknown>) =>
    new ApiFailure(429, { statusCode: 429, error: 'Too Many Requests', message: 'quota', details: [{ path: 'quota', message: 'quota', ...detail }] });

  it('names the daily upload quota, its figures and when it resets, in county time', () => {
    const note = quotaNote(
      refusal({ quota: 'bytesPerDay', used: 10 * 1024 ** 3, limit: 10 * 1024 ** 3, resetsAt: '2026-12-02T16:00:00.000Z' }),
      t,
    );
    expect(note).toBe('今日上传量已用 10 GB，上限 10 GB；2026-12-03 00:00 后恢复。');
  });

  it('leaves other failures to the general words', () => {
    expect(quotaNote(new ApiFailure(413, null), t)).toBeUndefined();
    expect(quotaNote(new TypeError('offline'), t)).toBeUndefined();
  });
});

it('polls only while some item is still processing', () => {
  const item = (status: Media['status']) => ({ status }) as Media;
  expect(anyProcessing([item('ready'), item('processing')])).toBe(true);
  expect(anyProcessing([item('ready'), item('failed')])).toBe(false);
  expect(anyProcessing(undefined)).toBe(false);
});
