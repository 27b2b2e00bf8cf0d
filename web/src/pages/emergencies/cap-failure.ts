import { ApiFailure, describeFailure, type FailureText } from '../../api/errors';
import type { Locale } from '../../i18n/i18n';

/**
 * Why a CAP file was not imported, in the reader's language. The server gives
 * a precise English reason (a parser's or a rule's); the common reasons are
 * said again in Chinese with the element they name, the server's sentence
 * kept below for whoever sent the file. Anything else falls back to the
 * general failure words.
 */
const REASONS: Array<{ pattern: RegExp; 'zh-CN': string; en: string }> = [
  {
    pattern: /DTDs and entities/,
    'zh-CN': '文件含有 DTD 或实体声明，出于安全不予读取',
    en: 'It has a DTD or entities, which are refused for safety',
  },
  {
    pattern: /not well-formed XML|no root element/,
    'zh-CN': '不是格式正确的 XML 文件',
    en: 'It is not well-formed XML',
  },
  {
    pattern: /the root element is <(\w+)>/,
    'zh-CN': '根元素是 <$1>，不是 CAP 的 <alert>',
    en: 'Its root is <$1>, not a CAP <alert>',
  },
  {
    pattern: /only CAP 1\.2/,
    'zh-CN': '不是 CAP 1.2 版本（命名空间不对），只接受 CAP 1.2',
    en: 'It is not CAP 1.2 (wrong namespace)',
  },
  { pattern: /has no <(\w+)>/, 'zh-CN': '缺少必填项 <$1>', en: 'The required <$1> is missing' },
  {
    pattern: /<(\w+)> .* is not (a CAP date-time|a real date)/,
    'zh-CN': '<$1> 的时间格式不对，应如 2026-11-23T17:30:00+08:00',
    en: 'The time in <$1> is not valid',
  },
  {
    pattern: /<polygon>/,
    'zh-CN': '区域多边形不合规：至少 4 个点，且首尾两点相同',
    en: 'An area polygon is not closed or has too few points',
  },
  {
    pattern: /<expires> .* is before|expires .* before it would start/,
    'zh-CN': '失效时间早于发布或开始时间',
    en: 'It expires before it is sent or starts',
  },
  { pattern: /larger than 1 MiB/, 'zh-CN': '文件超过 1 MiB', en: 'The file is larger than 1 MiB' },
  {
    pattern: /not a public alert/,
    'zh-CN': '不是可以向公众广播的预警（测试、系统消息或非公开范围）',
    en: 'It is not a public alert that can be broadcast',
  },
  {
    pattern: /no region here/,
    'zh-CN': '预警区域不是本平台的行政区划（区域编码应为本县的区划代码）',
    en: 'Its areas are not regions here',
  },
  {
    pattern: /does not know in your scope/,
    'zh-CN': '它更新或撤销的预警在您的管辖范围内找不到',
    en: 'The alert it updates or cancels is not known in your region',
  },
  { pattern: /lies in your scope/, 'zh-CN': '预警区域都不在您的管辖范围内', en: 'None of its areas is in your region' },
];

const TITLE = { 'zh-CN': 'CAP 文件未导入', en: 'The CAP file was not imported' };
const ACTION = {
  'zh-CN': '请检查文件是否为 OASIS CAP 1.2 格式的预警，改正后重新导入；未创建任何预警。',
  en: 'Check that the file is an OASIS CAP 1.2 alert, correct it and import it again; no alert was created.',
};
const SERVER_SAYS = { 'zh-CN': '服务器说明：', en: 'Server says: ' };
const WRONG_TYPE = {
  'zh-CN': '文件类型不对：请选择 XML 格式的 CAP 文件',
  en: 'Wrong file type: choose a CAP XML file',
};

export function capFailureText(error: unknown, locale: Locale): FailureText {
  if (!(error instanceof ApiFailure) || ![413, 415, 422].includes(error.status)) return describeFailure(error, locale);
  const said = error.body?.message ?? '';
  const reason = REASONS.find(({ pattern }) => pattern.test(said));
  const lines = [
    error.status === 415 ? WRONG_TYPE[locale] : reason && explain(said, reason, locale),
    said && SERVER_SAYS[locale] + said,
  ].filter((line): line is string => !!line);
  return { title: TITLE[locale], action: ACTION[locale], lines, requestId: error.body?.requestId };
}

/** The reason in the reader's words, with what the server's sentence names ($1: the element) filled in. */
function explain(said: string, reason: (typeof REASONS)[number], locale: Locale): string {
  const match = reason.pattern.exec(said)!;
  return reason[locale].replace('$1', match[1] ?? '');
}
