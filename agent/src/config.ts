import { hostname } from 'node:os';

/** How the agent is set up: environment variables, from /etc/dalaba-agent/env under systemd (docs/agent.md). */
export interface AgentConfig {
  server: string;
  /** Needed only until the agent has enrolled: the token it gets is kept in the state directory. */
  enrollmentCode: string | undefined;
  serial: string;
  stateDir: string;
  output: { kind: 'alsa'; device: string } | { kind: 'wav'; path: string };
  maxClockOffsetMs: number;
  cacheDays: number;
  heartbeatMs: number;
  pollMs: number;
  ffmpeg: string;
}

type Env = Record<string, string | undefined>;

/** Every problem at once, so one edit of the env file fixes them all. */
export class ConfigError extends Error {}

export function readConfig(env: Env): AgentConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const value = text(name);
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < min || number > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, not "${value}"`);
      return fallback;
    }
    return number;
  };

  const server = text('DALABA_SERVER');
  if (!server) problems.push('DALABA_SERVER is required (e.g. https://dalaba.example.gov.cn)');
  else if (!/^https?:\/\/[^/]/.test(server)) problems.push(`DALABA_SERVER must be an http(s) URL, not "${server}"`);

  const outputText = text('DALABA_AUDIO_OUTPUT') ?? 'alsa:default';
  const output = parseOutput(outputText);
  if (!output) problems.push(`DALABA_AUDIO_OUTPUT must be alsa:<device> or wav:<path>, not "${outputText}"`);

  const config: AgentConfig = {
    server: (server ?? '').replace(/\/+$/, ''),
    enrollmentCode: text('DALABA_ENROLLMENT_CODE'),
    serial: text('DALABA_SERIAL') ?? hostname(),
    // systemd's StateDirectory= sets STATE_DIRECTORY.
    stateDir: text('DALABA_STATE_DIR') ?? text('STATE_DIRECTORY') ?? '/var/lib/dalaba-agent',
    output: output ?? { kind: 'alsa', device: 'default' },
    maxClockOffsetMs: whole('DALABA_MAX_CLOCK_OFFSET_MS', 1000, 1, 3_600_000),
    cacheDays: whole('DALABA_CACHE_DAYS', 7, 1, 365),
    heartbeatMs: whole('DALABA_HEARTBEAT_SECONDS', 60, 1, 3600) * 1000,
    pollMs: whole('DALABA_POLL_SECONDS', 300, 1, 86_400) * 1000,
    ffmpeg: text('DALABA_FFMPEG') ?? 'ffmpeg',
  };
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return config;
}

function parseOutput(text: string): AgentConfig['output'] | undefined {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const target = text.slice(colon + 1);
  if (colon < 1 || !target) return undefined;
  if (kind === 'alsa') return { kind, device: target };
  if (kind === 'wav') return { kind, path: target };
  return undefined;
}
