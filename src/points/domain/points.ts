// Points (积分) for hours given: volunteering at a session or lecturing. A
// county sets its own rate; until it does, an hour earns this many.
export const DEFAULT_POINTS_PER_HOUR = 10;

/** Whole points for minutes at a rate per hour, rounded down: no fractions of a point are ever owed. */
export function pointsFor(minutes: number, pointsPerHour: number): number {
  return Math.floor((minutes * pointsPerHour) / 60);
}
