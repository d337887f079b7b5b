import { EventLoopLagMonitor } from './event-loop-lag';
import { eventLoopCheck } from './health.service';

function monitorWithClock() {
  let now = 1_000;
  const monitor = new EventLoopLagMonitor(() => now, 100, 3000);
  return {
    monitor,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('EventLoopLagMonitor', () => {
  it('when every tick comes on time, then the lag is 0', () => {
    const { monitor, advance } = monitorWithClock();
    for (let i = 0; i < 10; i++) {
      advance(100);
      monitor.tick();
    }
    expect(monitor.lagMs()).toBe(0);
  });

  it('when one tick came 1.5 s late, then the lag says so until the window has passed', () => {
    const { monitor, advance } = monitorWithClock();
    advance(1_600);
    monitor.tick();
    advance(100);
    monitor.tick();
    expect(monitor.lagMs()).toBe(1_500);
    // The late tick was at 2.6 s; it counts while now is less than 3 s later.
    for (let i = 0; i < 28; i++) {
      advance(100);
      monitor.tick();
    }
    expect(monitor.lagMs()).toBe(1_500);
    advance(100);
    monitor.tick();
    expect(monitor.lagMs()).toBe(0);
  });

  it('when a tick is overdue right now, then the lag counts the time it is late', () => {
    const { monitor, advance } = monitorWithClock();
    advance(100);
    monitor.tick();
    advance(2_100);
    expect(monitor.lagMs()).toBe(2_000);
  });
});

describe('eventLoopCheck', () => {
  it('when the lag is within the limit, then the check passes', () => {
    expect(eventLoopCheck(1_000, 1_000)).toEqual({ ok: true });
  });

  it('when the lag is beyond the limit, then the check fails naming the lag and the limit', () => {
    expect(eventLoopCheck(1_001, 1_000)).toEqual({
      ok: false,
      error: 'event loop lagging 1001 ms (limit 1000 ms)',
    });
  });
});
