import { Scheduler } from './scheduler';

describe('the shared scheduler', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-11-24T09:29:00Z') }));
  afterEach(() => jest.useRealTimers());

  const offsetMs = 3 * 3600_000;
  const simulated = { now: () => Date.now() + offsetMs };

  it('runs entries at their simulated time, in order, behind one real timer', () => {
    const scheduler = new Scheduler(simulated);
    const ran: string[] = [];
    const start = simulated.now();
    scheduler.at(start + 300, () => ran.push('c'));
    scheduler.at(start + 100, () => ran.push('a'));
    scheduler.at(start + 100, () => ran.push('b'));
    scheduler.after(200, () => ran.push('between'));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(99);
    expect(ran).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(ran).toEqual(['a', 'b']);
    jest.advanceTimersByTime(200);
    expect(ran).toEqual(['a', 'b', 'between', 'c']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('runs an entry already due at once, and never a cancelled one', () => {
    const scheduler = new Scheduler(simulated);
    const ran: string[] = [];
    scheduler.at(simulated.now() - 5000, () => ran.push('late'));
    const cancel = scheduler.after(50, () => ran.push('cancelled'));
    cancel();
    jest.advanceTimersByTime(100);
    expect(ran).toEqual(['late']);
  });

  it('waits longer than setTimeout can in one go', () => {
    const scheduler = new Scheduler(simulated);
    const fired = jest.fn();
    scheduler.after(30 * 86_400_000, fired);
    jest.advanceTimersByTime(30 * 86_400_000 - 1);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('entries scheduled while running run in the same pass when due', () => {
    const scheduler = new Scheduler(simulated);
    const ran: string[] = [];
    scheduler.after(10, () => {
      ran.push('first');
      scheduler.after(0, () => ran.push('second'));
    });
    jest.advanceTimersByTime(10);
    expect(ran).toEqual(['first', 'second']);
  });

  it('sleeps, and stops sleeping when the signal aborts', async () => {
    const scheduler = new Scheduler(simulated);
    const slept = scheduler.sleep(1000, new AbortController().signal);
    jest.advanceTimersByTime(1000);
    await expect(slept).resolves.toBeUndefined();

    const abort = new AbortController();
    const cut = scheduler.sleep(1000, abort.signal);
    abort.abort(new Error('run over'));
    await expect(cut).rejects.toThrow('run over');
  });

  it('stop() leaves no timer behind and ignores later entries', () => {
    const scheduler = new Scheduler(simulated);
    const fired = jest.fn();
    scheduler.after(1000, fired);
    scheduler.stop();
    scheduler.after(10, fired);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(5000);
    expect(fired).not.toHaveBeenCalled();
  });
});
