/**
 * One automator connection to the app, with the app's console output and exceptions kept in a
 * bounded buffer for failure artifacts.
 */
import automator from 'miniprogram-automator';
import type MiniProgram from 'miniprogram-automator/out/MiniProgram';

export interface ConsoleEntry {
  type: string;
  args: unknown[];
  at: number;
}

const MAX_ENTRIES = 400;

export class AppConnection {
  readonly console: ConsoleEntry[] = [];
  private current: MiniProgram | undefined;

  get mp(): MiniProgram {
    if (!this.current) throw new Error('not connected to the app');
    return this.current;
  }

  async open(wsEndpoint: string): Promise<MiniProgram> {
    this.close();
    const mp = await automator.connect({ wsEndpoint });
    const push = (entry: ConsoleEntry) => {
      this.console.push(entry);
      if (this.console.length > MAX_ENTRIES)
        this.console.splice(0, this.console.length - MAX_ENTRIES);
    };
    mp.on('console', (message: { type?: string; args?: unknown[] }) =>
      push({ type: message.type ?? 'log', args: message.args ?? [], at: Date.now() }),
    );
    mp.on('exception', (exception: unknown) =>
      push({ type: 'exception', args: [exception], at: Date.now() }),
    );
    this.current = mp;
    return mp;
  }

  close(): void {
    this.current?.disconnect();
    this.current = undefined;
  }
}
