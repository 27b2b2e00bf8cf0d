/**
 * The four colours of GY/T 383–389 (China's emergency broadcast standard),
 * as the server's levels: 1 = I 特别重大 red … 4 = IV 一般 blue. A tag always
 * says its colour and grade in words too, so nobody has to tell colours apart;
 * its text colour is chosen to stay readable on the colour (WCAG AA).
 */
export type SeverityColour = 'red' | 'orange' | 'yellow' | 'blue';
export type AlertLevel = 1 | 2 | 3 | 4;

export interface Severity {
  level: AlertLevel;
  colour: SeverityColour;
  /** I … IV, as the level is written in notices. */
  roman: string;
  background: string;
  text: string;
}

export const SEVERITIES: readonly Severity[] = [
  { level: 1, colour: 'red', roman: 'I', background: '#cf1322', text: '#ffffff' },
  { level: 2, colour: 'orange', roman: 'II', background: '#fa8c16', text: '#000000' },
  { level: 3, colour: 'yellow', roman: 'III', background: '#fadb14', text: '#000000' },
  { level: 4, colour: 'blue', roman: 'IV', background: '#0958d9', text: '#ffffff' },
];

export function severityOfLevel(level: number): Severity {
  const severity = SEVERITIES.find((candidate) => candidate.level === level);
  if (!severity) throw new RangeError(`no emergency level ${level}: the server's levels are 1 to 4`);
  return severity;
}

export function levelOfColour(colour: SeverityColour): AlertLevel {
  return SEVERITIES.find((severity) => severity.colour === colour)!.level;
}
