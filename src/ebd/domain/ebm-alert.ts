// What an EBM from the upper platform becomes in one county: an alert for
// the county's part of its areas, with its level, category, drill flag and
// broadcast window. Pure rules; the receiver looks the regions up.
import type { AlertCategory, AlertLevel } from '../../emergencies/domain/alert';
import { isDrill, ResultCode } from './codes';
import { refuse } from './ebd-rejected';
import { categoryOfEvent, type Ebm, levelOfSeverity } from './ebm';

// An EBM that names no EndTime airs for this long.
const DEFAULT_HOURS = 1;
const TITLE_CHARS = 200;

export interface EbmAlert {
  title: string;
  level: AlertLevel;
  category: AlertCategory;
  drill: boolean;
  regionCodes: string[];
  /** What text-to-speech says when the EBM brought no audio: its title, then its description. */
  spoken: string;
  startsAt: Date;
  expiresAt: Date;
}

/**
 * The area codes of an EBM that fall in a county, as Dalaba's region codes:
 * the county's own code (or its province's or city's, which hold it) is the
 * whole county; a township's or village's code inside it is kept as it is;
 * every other county's code is dropped.
 */
export function areasInCounty(areaCodes: readonly string[], countyCode: string): string[] {
  const holdsCounty = [
    countyCode,
    `${countyCode.slice(0, 2)}${'0'.repeat(10)}`,
    `${countyCode.slice(0, 4)}${'0'.repeat(8)}`,
  ];
  if (areaCodes.some((code) => holdsCounty.includes(code))) return [countyCode];
  return [...new Set(areaCodes.filter((code) => code.startsWith(countyCode.slice(0, 6))))];
}

/**
 * The alert an EBM (MsgType 1, or a drill 3–5) calls for in a county, given
 * the regions of its areas Dalaba has (codes of the county it has no region
 * for are ignored, like other counties'). It starts at its StartTime, or now
 * if that has passed, and ends at its EndTime.
 */
export function alertOfEbm(ebm: Ebm, regionCodes: readonly string[], now: Date): EbmAlert {
  const content = ebm.content ?? refuse(ResultCode.ContentMissing, 'EBM has no MsgContent');
  if (!regionCodes.length)
    refuse(
      ResultCode.ContentMissing,
      `none of the EBM's areas (${content.areaCodes.join(',')}) is a region of this county`,
    );
  const startsAt = ebm.startTime && ebm.startTime > now ? ebm.startTime : now;
  const expiresAt = ebm.endTime ?? new Date(startsAt.getTime() + DEFAULT_HOURS * 3600_000);
  if (expiresAt <= now)
    refuse(ResultCode.ContentMissing, 'the EBM has ended already (MsgBasicInfo/EndTime has passed)');
  return {
    title: [...content.title].slice(0, TITLE_CHARS).join(''),
    level: levelOfSeverity(ebm.severity ?? 0),
    category: categoryOfEvent(ebm.eventType),
    drill: isDrill(ebm.msgType),
    regionCodes: [...regionCodes],
    spoken: content.description ? `${content.title}。${content.description}` : content.title,
    startsAt,
    expiresAt,
  };
}
