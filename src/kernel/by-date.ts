import type { LocalDate } from './county-time';

/**
 * Values kept per date and key (a region's playlist, the version a device
 * holds), for the few dates devices ask about. Two levels rather than one
 * `${key}|${date}` key: a hot path then looks up strings it already holds
 * (a principal's ids, whose hashes V8 keeps), instead of building, flattening
 * and hashing a new string on every call. Past `limit` values in all, it
 * starts again empty: a cache, refilled on demand.
 */
export class ByDate<V> {
  private readonly dates = new Map<LocalDate, Map<string, V>>();
  private size = 0;

  constructor(private readonly limit: number) {}

  get(date: LocalDate, key: string): V | undefined {
    return this.dates.get(date)?.get(key);
  }

  set(date: LocalDate, key: string, value: V): void {
    if (this.size >= this.limit) this.clear();
    let values = this.dates.get(date);
    if (!values) this.dates.set(date, (values = new Map<string, V>()));
    const before = values.size;
    values.set(key, value);
    this.size += values.size - before;
  }

  delete(date: LocalDate, key: string): void {
    const values = this.dates.get(date);
    if (values?.delete(key)) this.size--;
  }

  clear(): void {
    this.dates.clear();
    this.size = 0;
  }
}
