import { ConfigError, loadConfig } from '../infra/config/config';
import { startIcecast } from '../infra/icecast/icecast-server';

// `node dist/cli/icecast.js`: runs Icecast 2 on its own (docker-compose.yml's
// icecast service), configured from the same settings as the service that
// sends to it, listening on every address at ICECAST_URL's port so the API's
// containers and the loudspeakers can reach it. Stops with the process.

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.icecast) throw new ConfigError('Invalid configuration: ICECAST_URL is required but not set');
  const port = new URL(config.icecast.url).port || '80';
  const icecast = await startIcecast({ ...config.icecast, url: `http://0.0.0.0:${port}` });
  console.log(`Icecast listening on port ${port}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void icecast.stop());
  icecast.child.once('exit', (code) => process.exit(code ?? 1));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
