export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

interface Options {
  token?: string;
  headers?: Record<string, string>;
  /** A raw body (sent as is, with its own content-type header). */
  raw?: string;
}

/** A small HTTP client for the app under test: real requests over loopback. */
export class Api {
  constructor(readonly baseUrl: string) {}

  get<T = any>(path: string, options: Options = {}) {
    return this.request<T>('GET', path, undefined, options);
  }
  post<T = any>(path: string, body?: unknown, options: Options = {}) {
    return this.request<T>('POST', path, body, options);
  }

  async request<T>(method: string, path: string, body: unknown, options: Options): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined = options.raw;
    if (payload === undefined && body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    if (response.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}
