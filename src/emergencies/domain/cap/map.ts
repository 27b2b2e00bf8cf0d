// What Dalaba makes of a parsed CAP alert: its level, category, regions and text.
import { withoutHiddenCharacters } from '../../../infra/text/hidden-characters';
import type { AlertCategory, AlertLevel } from '../alert';
import type { CapAlert, CapInfo, CapReference } from './parse';
import { reject } from './rejected';

/** What Dalaba makes of a parsed alert. `regionCodeOf` maps a geocode value to a known region code or null (the caller knows the region table). */
export type CapImport =
  | {
      action: 'draft' | 'update';
      references: CapReference[];
      drill: boolean;
      title: string;
      level: AlertLevel;
      category: AlertCategory;
      text: string;
      regionCodes: string[];
      startsAt?: Date;
      expiresAt?: Date;
      unknownAreas: string[];
    }
  | { action: 'cancel'; references: CapReference[]; drill: boolean };

/**
 * CAP severity and urgency → level:
 *
 * | severity        | urgency Immediate | any other urgency |
 * |-----------------|-------------------|-------------------|
 * | Extreme         | I   (1)           | I   (1)           |
 * | Severe          | I   (1)           | II  (2)           |
 * | Moderate        | II  (2)           | III (3)           |
 * | Minor, Unknown  | IV  (4)           | IV  (4)           |
 */
function alertLevel(severity: string, urgency: string): AlertLevel {
  const immediate = urgency === 'Immediate';
  if (severity === 'Extreme') return 1;
  if (severity === 'Severe') return immediate ? 1 : 2;
  if (severity === 'Moderate') return immediate ? 2 : 3;
  return 4;
}

const FLOOD = /flood|inundation|洪|汛/i;
const EARTHQUAKE = /earthquake|tsunami|地震|海啸/i;
// Most specific first: weather (Met) often comes along with another category, as in a fire
// with Fire and Met, and then the other one names the event.
const CATEGORY_OF: Array<[string[], AlertCategory]> = [
  [['Fire'], 'fire'],
  [['Geo'], 'geological'],
  [['Health'], 'public-health'],
  [['Security', 'Safety', 'Rescue'], 'public-security'],
  [['Met'], 'weather'],
];

// CAP has no flood or earthquake category (they are Met/Geo), so the event's own words decide those.
function alertCategory({ categories, event, headline }: CapInfo): AlertCategory {
  const has = (wanted: string[]) => wanted.some((category) => categories.includes(category));
  const words = `${event}\n${headline ?? ''}`;
  if (FLOOD.test(words) && has(['Met', 'Env', 'Geo', 'Safety'])) return 'flood';
  if (EARTHQUAKE.test(words)) return 'earthquake';
  return CATEGORY_OF.find(([wanted]) => has(wanted))?.[1] ?? 'other';
}

/** GB/T 2260 county (6 digits) and township (9 digits) codes padded to the 12-digit statistical division codes regions use. */
export function divisionCode(value: string): string {
  if (/^\d{6}$/.test(value)) return `${value}000000`;
  if (/^\d{9}$/.test(value)) return `${value}000`;
  return value;
}

export function importCap(alert: CapAlert, regionCodeOf: (geocode: string) => string | null): CapImport {
  const { msgType, status, scope, references } = alert;
  if (msgType === 'Ack' || msgType === 'Error')
    reject(`a CAP ${msgType} message is not a public alert Dalaba can broadcast`);
  if (status !== 'Actual' && status !== 'Exercise')
    reject(`a CAP message with status ${status} is not a public alert Dalaba can broadcast`);
  // Loudspeakers are heard by everyone: an alert meant for restricted or named recipients must not be aired.
  if (scope !== 'Public') reject(`a CAP message with scope ${scope} is not a public alert Dalaba can broadcast`);
  const drill = status === 'Exercise';
  if (msgType !== 'Alert' && references.length === 0)
    reject(`a CAP ${msgType} must name the alert it replaces in <references>`);
  if (msgType === 'Cancel') return { action: 'cancel', references, drill };

  const chosen = alert.infos.find((candidate) => candidate.language.toLowerCase().startsWith('zh')) ?? alert.infos[0];
  if (!chosen) return reject(`a CAP ${msgType} with no <info> has nothing to broadcast`);
  if (chosen.areas.length === 0) reject(`the <info> in ${chosen.language} has no <area>, so it reaches no region`);

  const regionCodes = new Set<string>();
  const unknownAreas = new Set<string>();
  for (const { description, geocodes } of chosen.areas) {
    const unmapped: string[] = [];
    for (const { valueName, value } of geocodes) {
      const code = regionCodeOf(divisionCode(value));
      if (code) regionCodes.add(code);
      else unmapped.push(`${valueName} ${value}`);
    }
    if (unmapped.length === geocodes.length)
      unknownAreas.add(unmapped.length ? `${description} (${unmapped.join(', ')})` : description);
  }
  // Upstream text is aired as it is, but nothing that hides or changes what a console or device shows.
  const shown = (line: string | undefined) =>
    line && withoutHiddenCharacters(line.replace(/\s+/g, ' '), 'single').trim();
  const title =
    shown(chosen.headline) || shown(chosen.event) || reject("the alert's <headline> and <event> show nothing");
  return {
    action: msgType === 'Update' ? 'update' : 'draft',
    references,
    drill,
    title,
    level: alertLevel(chosen.severity, chosen.urgency),
    category: alertCategory(chosen),
    text:
      withoutHiddenCharacters(
        [chosen.description, chosen.instruction].filter(Boolean).join('\n\n').replace(/\r\n?/g, '\n'),
        'multi',
      ).trim() || title,
    regionCodes: [...regionCodes],
    startsAt: chosen.onset ?? chosen.effective,
    expiresAt: chosen.expires,
    unknownAreas: [...unknownAreas],
  };
}
