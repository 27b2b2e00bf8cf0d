import { fill, type Locale } from '../i18n/i18n';

/** The server's one error shape. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: Array<{ path: string; message: string; [key: string]: unknown }>;
  requestId?: string;
}

/** A request the server refused or could not answer; thrown by the API client, caught by TanStack Query. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
    /** From Retry-After on a 429: when to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }
}

/** What a person is told: what happened and what to do next, in their language. */
export interface FailureText {
  title: string;
  action: string;
  /** One line per region and date over, per invalid field… */
  lines: string[];
  requestId?: string;
}

const TEXT = {
  'zh-CN': {
    network: ['无法连接服务器', '请检查网络后重试。'],
    400: ['填写的内容有误', '请按提示修改后再提交。'],
    401: ['登录已失效', '请重新登录。'],
    403: ['没有权限', '此操作超出您的角色或管辖范围；如需办理，请联系上级管理员。'],
    404: ['找不到该内容', '它可能已被删除或不在您的管辖范围内，请刷新后重试。'],
    409: ['与现有内容冲突', '请刷新查看最新情况后再操作。'],
    413: ['文件太大', '请压缩或分段后再上传。'],
    422: ['内容无法处理', '请按提示修改后再提交。'],
    429: ['操作太频繁', '请稍后再试。'],
    500: ['服务器出错', '请稍后重试；如反复出现，请把请求编号告诉技术支持。'],
    503: ['服务暂不可用', '请稍后重试。'],
    overflowTitle: '超出播出时段，未保存',
    overflowAction: '请缩短节目、减少重复日期，或先调整该区域已有的安排。',
    overflowLine: '{region}　{date}　超出 {seconds} 秒',
    retryAfter: '请在 {seconds} 秒后再试。',
    field: '{path}：{message}',
    server: '服务器说明：{message}',
  },
  en: {
    network: ['Cannot reach the server', 'Check the network and try again.'],
    400: ['Some input is not valid', 'Correct it as shown and submit again.'],
    401: ['Your session has ended', 'Please sign in again.'],
    403: ['Not allowed', 'This is outside your role or region; ask an administrator above you.'],
    404: ['Not found', 'It may have been removed or be outside your region; refresh and try again.'],
    409: ['Conflicts with what exists', 'Refresh to see the latest state, then try again.'],
    413: ['File too large', 'Compress or split it, then upload again.'],
    422: ['Cannot be processed', 'Correct it as shown and submit again.'],
    429: ['Too many requests', 'Please try again later.'],
    500: ['Server error', 'Try again later; if it keeps happening, give support the request id.'],
    503: ['Service unavailable', 'Try again later.'],
    overflowTitle: 'Over the broadcast window: not saved',
    overflowAction: 'Shorten the programme, air it on fewer dates, or first change what the region already has.',
    overflowLine: '{region}  {date}  {seconds} s over',
    retryAfter: 'Try again in {seconds} s.',
    field: '{path}: {message}',
    server: 'Server says: {message}',
  },
} as const;

type StatusKey = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;

/**
 * Turns any failure into words for a person. Overflow refusals list each
 * region (by name when the page knows it), date and the seconds over; other
 * failures get the status's meaning and next step, with the server's own
 * sentence (English, precise) kept beneath it for support.
 */
export function describeFailure(
  error: unknown,
  locale: Locale,
  regionName: (code: string) => string | undefined = () => undefined,
): FailureText {
  const text = TEXT[locale];
  if (!(error instanceof ApiFailure)) {
    return { title: text.network[0], action: text.network[1], lines: [] };
  }
  const body = error.body;
  const overflow = body?.details?.filter((detail) => typeof detail.overSeconds === 'number') ?? [];
  if (error.status === 409 && overflow.length) {
    return {
      title: text.overflowTitle,
      action: text.overflowAction,
      lines: overflow.map((detail) =>
        fill(text.overflowLine, {
          region: regionName(String(detail.regionCode)) ?? String(detail.regionCode),
          date: String(detail.date),
          seconds: Number(detail.overSeconds),
        }),
      ),
      requestId: body?.requestId,
    };
  }
  if (error.status === 429 && error.retryAfterSeconds) {
    return {
      title: text[429][0],
      action: fill(text.retryAfter, { seconds: error.retryAfterSeconds }),
      lines: [],
      requestId: body?.requestId,
    };
  }
  const key: StatusKey = (error.status in text ? error.status : error.status >= 500 ? 500 : 400) as StatusKey;
  const [title, action] = text[key];
  const lines = (body?.details ?? []).map((detail) => fill(text.field, { path: detail.path, message: detail.message }));
  if (body?.message) lines.push(fill(text.server, { message: body.message }));
  return { title, action, lines, requestId: body?.requestId };
}
