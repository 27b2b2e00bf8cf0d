// Whether an outside stream can be relayed: judged from what ffmpeg printed
// while it tried to decode a second of the stream's first audio track. The
// verdicts are for the operator who typed the address, in plain words.

export type StreamVerdict =
  | { ok: true; codec: string; format: string }
  | { ok: false; problem: 'unreachable' | 'not-audio' | 'undecodable'; message: string };

/** The arguments that decode one second of the first audio track of `url` and throw it away. */
export function streamCheckArguments(url: string, timeoutSeconds: number): string[] {
  return [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'info',
    // Microseconds: a server that accepts the connection and then says nothing fails too.
    '-rw_timeout',
    String(timeoutSeconds * 1_000_000),
    '-i',
    url,
    '-map',
    '0:a:0',
    '-t',
    '1',
    '-f',
    'null',
    '-',
  ];
}

/** ffmpeg's verdict, from its exit and what it printed; `timedOut` when it had to be stopped. */
export function judgeStreamCheck(
  result: { exitCode: number | null; stderr: string; timedOut: boolean },
  timeoutSeconds: number,
): StreamVerdict {
  const { stderr } = result;
  const unreachable = (why: string): StreamVerdict => ({
    ok: false,
    problem: 'unreachable',
    message: `The stream could not be reached: ${why}`,
  });
  if (result.timedOut) return unreachable(`it sent no audio within ${timeoutSeconds} s`);
  const format = /^Input #0, ([^,]+), from/m.exec(stderr)?.[1] ?? 'unknown';
  const status = /Server returned (\d{3}[^\n]*)/.exec(stderr)?.[1];
  if (status) return unreachable(`the server answered HTTP ${status.trim()}`);
  if (/Failed to resolve hostname/.test(stderr)) return unreachable('its host name is not known (DNS)');
  if (/Connection refused/.test(stderr)) return unreachable('the server refused the connection');
  if (/timed out/i.test(stderr)) return unreachable('the server did not answer in time');
  if (/Invalid data found when processing input/.test(stderr))
    return {
      ok: false,
      problem: 'not-audio',
      message: 'This address does not serve audio (it looks like a web page or some other non-media file)',
    };
  if (/Stream map '0:a:0' matches no streams/.test(stderr))
    return {
      ok: false,
      problem: 'not-audio',
      message: `This address serves no audio: it is ${describeFormat(format)} without a sound track`,
    };
  const codec = /Stream #0:\d+[^:]*: Audio: (\w+)/.exec(stderr)?.[1];
  if (/Decoder \(codec [^)]*\) not found|Error while decoding|Error while opening decoder/.test(stderr))
    return {
      ok: false,
      problem: 'undecodable',
      message: `The stream's audio (${codec ?? 'an unknown codec'}) cannot be decoded by this server's ffmpeg`,
    };
  if (result.exitCode === 0 && codec) return { ok: true, codec, format };
  const last = stderr.trim().split('\n').at(-1) ?? '';
  return unreachable(last ? `ffmpeg said "${last.slice(0, 200)}"` : `ffmpeg failed (exit ${result.exitCode})`);
}

function describeFormat(format: string): string {
  if (/jpeg|png|gif|webp|bmp|image|tiff/.test(format)) return 'a picture';
  if (format === 'unknown') return 'media';
  return `a ${format} file or stream`;
}
