// A loudspeaker's StateCode as the upper platform is told it (EBRDTState):
// seen within the online threshold is on, and broadcasting when its last
// heartbeat said it was playing; not seen is off. Dalaba has no notion of a
// terminal fault yet (a failed receipt is one item, not the device), so 3
// (故障) is never reported.
import { ResourceState } from './codes';

export function terminalState(
  endpoint: { lastSeenAt: Date | null; playing: boolean | null },
  onlineSince: Date,
): ResourceState {
  if (!endpoint.lastSeenAt || endpoint.lastSeenAt < onlineSince) return ResourceState.Off;
  return endpoint.playing ? ResourceState.Broadcasting : ResourceState.Normal;
}
