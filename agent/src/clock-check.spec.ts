import { ClockCheck, estimateOffset, JumpWatcher } from './clock-check';

describe('measuring the clock against the server', () => {
  it('takes half the round trip as the error of a heartbeat reading', () => {
    // Sent at 1000, answered at 1100 by local clock; the server said 6050: it is 5000 ahead, give or take 50.
    expect(estimateOffset([{ sentAt: 1000, answeredAt: 1100, serverMs: 6050, precisionMs: 0 }])).toEqual({
      offsetMs: 5000,
      errorMs: 50,
    });
  });

  it('trusts the reading with the shortest round trip', () => {
    const readings = [
      { sentAt: 0, answeredAt: 2000, serverMs: 1500, precisionMs: 0 },
      { sentAt: 10_000, answeredAt: 10_020, serverMs: 9_810, precisionMs: 0 },
    ];
    expect(estimateOffset(readings)?.offsetMs).toBe(-200);
  });

  it('reads a Date header as a whole second', () => {
    // The header says 12:00:01 (the server was somewhere in that second).
    const date = 'Thu, 03 Dec 2026 12:00:01 GMT';
    const serverMs = Date.parse(date);
    const check = new ClockCheck(1000);
    check.addDateHeader(serverMs - 10, serverMs + 10, date);
    expect(check.offsetMs).toBe(500);
    // Within a whole second of error, nothing is surely wrong.
    expect(check.fault()).toBeUndefined();
  });

  it('says the clock is wrong only when surely over the limit, and names the offset', () => {
    const check = new ClockCheck(1000);
    expect(check.fault()).toBeUndefined();
    check.add({ sentAt: 0, answeredAt: 100, serverMs: 1100, precisionMs: 0 });
    expect(check.fault()).toBeUndefined();
    check.add({ sentAt: 0, answeredAt: 10, serverMs: -4995, precisionMs: 0 });
    expect(check.offsetMs).toBe(-5000);
    expect(check.fault()).toMatch(/off by -5000 ms .* over the 1000 ms limit/);
    check.forget();
    expect(check.offsetMs).toBeUndefined();
  });

  it('trusts a clock never measured, but not one that jumped, until it is measured again', () => {
    const check = new ClockCheck(1000);
    expect(check.fault()).toBeUndefined();
    check.forget();
    expect(check.fault()).toMatch(/just set/);
    check.add({ sentAt: 0, answeredAt: 10, serverMs: 5, precisionMs: 0 });
    expect(check.fault()).toBeUndefined();
  });
});

describe('noticing the wall clock being set', () => {
  it('reports a jump when wall and monotonic clocks part, not when they advance together, and knows of one not yet reported', () => {
    let wall = 1_000_000;
    let monotonic = 50;
    const jumps: number[] = [];
    const watcher = new JumpWatcher(
      2000,
      (jump) => jumps.push(jump),
      () => wall,
      () => monotonic,
    );
    wall += 1000;
    monotonic += 1000;
    watcher.check();
    wall += 3_600_000;
    // Set, and not yet looked at: a timer the jump made due asks before the next check.
    expect(watcher.pending()).toBe(true);
    expect(jumps).toEqual([]);
    watcher.check();
    expect(watcher.pending()).toBe(false);
    wall -= 10_000;
    monotonic += 5;
    wall += 5;
    watcher.check();
    expect(jumps).toEqual([3_600_000, -10_000]);
  });
});
