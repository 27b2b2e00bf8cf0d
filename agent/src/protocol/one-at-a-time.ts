/**
 * Runs a job one at a time: asked again while it runs, it runs once more
 * when done (what asked may be newer than what the run started from), however
 * many times it was asked meanwhile. Every caller waits for the run that
 * covers its asking.
 */
export class OneAtATime {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly job: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
    return this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.job();
    } while (this.again);
  }
}
