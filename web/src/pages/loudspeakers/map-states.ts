import type { components } from '../../api/schema.gen';
import type { Tone } from '../../components/status-tag';

export type EndpointMap = components['schemas']['EndpointMap'];
export type MapState = EndpointMap['points']['state'][number];
export interface MapPoint {
  id: string;
  name: string;
  regionCode: string;
  state: MapState;
  longitude: number | null;
  latitude: number | null;
}

/** The feed's columns (one array per field, compact for a county's thousands) as one object per loudspeaker. */
export function mapPoints(columns: EndpointMap['points']): MapPoint[] {
  return columns.id.map((id, i) => ({
    id,
    name: columns.name[i],
    regionCode: columns.regionCode[i],
    state: columns.state[i],
    longitude: columns.longitude[i],
    latitude: columns.latitude[i],
  }));
}

/** Heartbeats come every minute: the pages follow them without a reload, no faster (a county's map is ~330 KB for 3,000). */
export const STATE_POLL_MS = 60_000;

type StateLabel = 'stateOnline' | 'stateOffline' | 'stateFault' | 'statePlaying' | 'stateNeverEnrolled';

/**
 * How each state is drawn: a colour (the status tags' own, dark enough for
 * white text) and a shape too, so the map still reads without colour; the
 * legend and the tags say it in words.
 */
export const MAP_STATES: ReadonlyArray<{
  state: MapState;
  label: StateLabel;
  tone: Tone;
  color: string;
  /** The ECharts symbol, and the same shape as a character for the legend. */
  symbol: string;
  glyph: string;
}> = [
  { state: 'fault', label: 'stateFault', tone: 'bad', color: '#a8071a', symbol: 'triangle', glyph: '▲' },
  { state: 'offline', label: 'stateOffline', tone: 'idle', color: '#595959', symbol: 'rect', glyph: '■' },
  {
    state: 'never-enrolled',
    label: 'stateNeverEnrolled',
    tone: 'warn',
    color: '#ad4e00',
    symbol: 'diamond',
    glyph: '◆',
  },
  { state: 'playing', label: 'statePlaying', tone: 'info', color: '#0958d9', symbol: 'emptyCircle', glyph: '○' },
  { state: 'online', label: 'stateOnline', tone: 'good', color: '#237804', symbol: 'circle', glyph: '●' },
];

export const stateLook = (state: MapState) => MAP_STATES.find((look) => look.state === state)!;

export const isPlaced = (point: MapPoint) => point.longitude !== null && point.latitude !== null;

/** The placed points of each state, as [longitude, latitude, name] for the plot. */
export function pointsByState(points: MapPoint[]): Map<MapState, Array<[number, number, string]>> {
  const groups = new Map<MapState, Array<[number, number, string]>>(MAP_STATES.map(({ state }) => [state, []]));
  for (const point of points)
    if (isPlaced(point)) groups.get(point.state)!.push([point.longitude!, point.latitude!, point.name]);
  return groups;
}

/** The loudspeakers without a position, worst state first, then by name: the ones to place (or fix) first. */
export function unplaced(points: MapPoint[]): MapPoint[] {
  const rank = (state: MapState) => MAP_STATES.findIndex((look) => look.state === state);
  return points
    .filter((point) => !isPlaced(point))
    .sort((a, b) => rank(a.state) - rank(b.state) || a.name.localeCompare(b.name, 'zh-CN'));
}
