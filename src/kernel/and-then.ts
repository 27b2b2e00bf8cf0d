/**
 * Goes on with a value now, or once it arrives when it is still a promise:
 * a hot path whose values are usually in memory answers without making a
 * single promise, and still waits when one has to be fetched.
 */
export function andThen<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
