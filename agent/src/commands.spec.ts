import { CommandBook, readOrder } from './commands';
import type { CommandOutcome } from './state';

describe('commands', () => {
  it('reads the kinds it knows and refuses the rest as unsupported', () => {
    expect(readOrder({ kind: 'set-volume', volume: 35 })).toEqual({ kind: 'set-volume', volume: 35 });
    expect(readOrder({ kind: 'test-tone' })).toEqual({ kind: 'test-tone' });
    expect(readOrder({ kind: 'self-destruct' })).toEqual({ kind: 'refused', result: 'unsupported' });
    expect(readOrder({ kind: 'set-volume', volume: 101 })).toMatchObject({ kind: 'refused' });
    expect(readOrder({ kind: 'set-volume' })).toMatchObject({ kind: 'refused' });
  });

  it('carries a command out once: heard again, its outcome is reported, even after a restart', () => {
    const saved: Record<string, CommandOutcome>[] = [];
    const book = new CommandBook({}, (outcomes) => saved.push(structuredClone(outcomes)));
    expect(book.heard('c1')).toEqual({ act: 'run' });
    // Resent while it runs (the tone is still sounding): nothing more to do.
    expect(book.heard('c1')).toEqual({ act: 'wait' });
    book.settled('c1', { status: 'done', result: '1 kHz for 5 s', at: 1 });
    expect(book.heard('c1')).toEqual({ act: 'report', outcome: { status: 'done', result: '1 kHz for 5 s', at: 1 } });

    const afterRestart = new CommandBook(saved.at(-1)!, () => undefined);
    expect(afterRestart.heard('c1')).toMatchObject({ act: 'report' });
    expect(afterRestart.heard('c2')).toEqual({ act: 'run' });
  });
});
