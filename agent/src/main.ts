#!/usr/bin/env node
import { Agent } from './agent';
import { ConfigError, readConfig } from './config';
import { Journal } from './journal';
import { EXIT_CONFIG, VERSION } from './version';

/** `dalaba-agent`: configured by environment variables (docs/agent.md), run by systemd, logs JSON lines to stdout. */
async function main(): Promise<number> {
  const journal = new Journal();
  if (process.argv.includes('--version')) {
    process.stdout.write(`dalaba-agent/${VERSION}\n`);
    return 0;
  }
  try {
    const config = readConfig(process.env);
    const agent = new Agent(config, journal);
    for (const signal of ['SIGTERM', 'SIGINT'] as const)
      process.once(signal, () => void agent.shutdown(0, `${signal} received`));
    journal.event('starting', { version: VERSION, server: config.server, stateDir: config.stateDir });
    return await agent.run();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    journal.event('config-error', { message: error.message });
    return EXIT_CONFIG;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
