import type { Log } from './protocol';

/**
 * The agent's log: one JSON object per line on stdout, which journald keeps
 * (`journalctl -u dalaba-agent -o cat | jq`) and tests read. `at` is the
 * device's clock in epoch ms.
 */
export class Journal implements Log {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(line)) {}

  event(event: string, fields: Record<string, unknown> = {}): void {
    this.write(`${JSON.stringify({ event, at: Date.now(), ...fields })}\n`);
  }

  log(who: string, message: string): void {
    this.event('log', { who, message });
  }

  error(who: string, message: string): void {
    this.event('error', { who, message });
  }
}
