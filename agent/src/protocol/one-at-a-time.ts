/**
 * Runs a job one at a time: asked again while it runs, it runs once more
 * when done (what asked may be newer than what the run started from), however
 * many times it was asked meanwhile.
 */
export class OneAtATime {
  private running = false;
  private again = false;

  constructor(private readonly job: () => Promise<void>) {}

  async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.job();
      } while (this.again);
    } finally {
      this.running = false;
    }
  }
}
