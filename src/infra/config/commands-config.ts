import { integer } from './config-values';

const DAY_MINUTES = 24 * 60;

/** The settings of remote commands to endpoints (docs/device-protocol.md, "Commands"), validated with the rest. */
export const COMMAND_SETTINGS = {
  COMMAND_TTL_MINUTES: integer(1, 30 * DAY_MINUTES).default(DAY_MINUTES),
  COMMAND_MAX_TTL_MINUTES: integer(1, 30 * DAY_MINUTES).default(7 * DAY_MINUTES),
  COMMAND_RESEND_SECONDS: integer(1, 3600).default(30),
};

/** How long a command is tried, and how often it is sent again to a device that has not acknowledged it. */
export interface CommandsConfig {
  /** A command's lifetime when the operator gives none; never longer than commandMaxTtlMinutes. */
  commandTtlMinutes: number;
  /** The longest lifetime an operator may give. */
  commandMaxTtlMinutes: number;
  commandResendSeconds: number;
}

export function commandsConfig(e: {
  COMMAND_TTL_MINUTES: number;
  COMMAND_MAX_TTL_MINUTES: number;
  COMMAND_RESEND_SECONDS: number;
}): CommandsConfig {
  return {
    // A default over the maximum would let every command outlive what an operator may ask for.
    commandTtlMinutes: Math.min(e.COMMAND_TTL_MINUTES, e.COMMAND_MAX_TTL_MINUTES),
    commandMaxTtlMinutes: e.COMMAND_MAX_TTL_MINUTES,
    commandResendSeconds: e.COMMAND_RESEND_SECONDS,
  };
}
