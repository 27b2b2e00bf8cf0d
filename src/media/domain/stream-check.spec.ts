import { judgeStreamCheck } from './stream-check';

// What ffmpeg 5/6 print for each case, as seen while decoding a second of a URL.
const judge = (stderr: string, exitCode: number | null = 1, timedOut = false) =>
  judgeStreamCheck({ exitCode, stderr, timedOut }, 8);
const problem = (stderr: string, exitCode: number | null = 1, timedOut = false) => {
  const verdict = judge(stderr, exitCode, timedOut);
  return verdict.ok ? 'accepted' : verdict.message;
};

describe('whether an outside stream can be relayed', () => {
  it('accepts decodable audio, naming its codec', () => {
    expect(
      judge(
        "Input #0, mp3, from 'http://radio/live':\n  Duration: N/A, start: 0.000000, bitrate: 64 kb/s\n  Stream #0:0: Audio: mp3, 44100 Hz, mono, fltp, 64 kb/s\n",
        0,
      ),
    ).toEqual({ ok: true, codec: 'mp3', format: 'mp3' });
  });

  it('says in plain words why not', () => {
    expect(judge('http://radio/page.html: Invalid data found when processing input')).toMatchObject({
      problem: 'not-audio',
      message: expect.stringMatching(/does not serve audio/),
    });
    expect(
      judge("Input #0, jpeg_pipe, from 'http://radio/a.jpg':\nStream map '0:a:0' matches no streams."),
    ).toMatchObject({ problem: 'not-audio', message: expect.stringMatching(/it is a picture without a sound track/) });
    expect(problem('http://radio/x: Server returned 404 Not Found')).toMatch(/answered HTTP 404 Not Found/);
    expect(problem('Failed to resolve hostname radio.invalid: Name or service not known')).toMatch(/DNS/);
    expect(problem('Connection to tcp://127.0.0.1:1 failed: Connection refused')).toMatch(/refused/);
    expect(problem('', null, true)).toMatch(/sent no audio within 8 s/);
    expect(
      judge("Input #0, ogg, from 'u':\n  Stream #0:0: Audio: weird, 8000 Hz\nDecoder (codec weird) not found for input stream #0:0"),
    ).toMatchObject({ problem: 'undecodable', message: expect.stringMatching(/\(weird\) cannot be decoded/) });
  });
});
