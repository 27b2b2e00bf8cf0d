import { isTransientFailure } from './media-rejected';

describe('isTransientFailure', () => {
  it.each([
    'ffmpeg was killed with signal SIGKILL',
    'process ran into a timeout (7200s)',
    'ffmpeg exited with code 1: av_interleaved_write_frame(): No space left on device',
    "ENOSPC: no space left on device, write",
    'ffmpeg exited with code 1: Cannot allocate memory',
    'EMFILE: too many open files',
  ])('retries the machine’s trouble: %s', (message) => {
    expect(isTransientFailure(message)).toBe(true);
  });

  it.each([
    'ffmpeg exited with code 1: Invalid data found when processing input',
    'ffprobe exited with code 1',
  ])('does not retry what the file caused: %s', (message) => {
    expect(isTransientFailure(message)).toBe(false);
  });
});
