import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';

import type { WorkstationApi } from '../../../shared/ipc/api';
import type { CallOutput } from '../../../shared/ipc/contract';
import { createInputQueue, followStream, type StreamFollower } from '../../../shared/ipc/streamClient';

export type TerminalStatus = 'opening' | 'open' | 'ended' | 'failed';

export type TerminalSnapshot = {
  status: TerminalStatus;
  /** Why it ended, or why it could not open. */
  reason: unknown;
  opened: CallOutput<'terminal.open'> | null;
};

export const FONT_SIZES = [11, 12, 13, 14, 16, 18, 20] as const;
const RESIZE_SETTLE_MS = 150;

const windowTimers = {
  setInterval: (callback: () => void, ms: number) => window.setInterval(callback, ms),
  clearInterval: (handle: unknown) => window.clearInterval(handle as number),
};

/** The colours of the app's dark header, with the level colours for red, yellow and green. */
const THEME = {
  background: '#16202b',
  foreground: '#f3f6f9',
  cursor: '#f5a700',
  selectionBackground: '#0b5cad',
  red: '#ff6b6b',
  green: '#5fd38d',
  yellow: '#f2b705',
  blue: '#6cb4ff',
};

/**
 * One terminal tab: an xterm.js screen bound to one recorded session on the unit. Output is written to the screen
 * and acknowledged once xterm has taken it (so a flood on the vehicle waits for the screen, never piles up here);
 * keystrokes go out in order, one call at a time; the window's size follows the panel.
 */
export class TerminalSession {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly search = new SearchAddon();
  private follower: StreamFollower | null = null;
  private snapshot: TerminalSnapshot = { status: 'opening', reason: null, opened: null };
  private readonly listeners = new Set<() => void>();
  private resizeTimer: number | undefined;
  private observer: ResizeObserver | undefined;
  private isDisposed = false;

  constructor(
    private readonly api: WorkstationApi,
    readonly unit: string,
    fontSize: number,
  ) {
    this.term = new Terminal({
      fontSize,
      fontFamily: "ui-monospace, 'DejaVu Sans Mono', Consolas, 'Liberation Mono', monospace",
      scrollback: 5000,
      cursorBlink: true,
      theme: THEME,
    });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.search);
    // Ctrl+Shift+C / Ctrl+Shift+V copy and paste, as terminal emulators do; Ctrl+C stays an interrupt.
    this.term.attachCustomKeyEventHandler((event) => {
      if (event.type === 'keydown' && event.ctrlKey && event.shiftKey && (event.key === 'C' || event.key === 'V')) {
        void (event.key === 'C' ? this.copy() : this.paste());
        return false;
      }
      return true;
    });
  }

  get state(): TerminalSnapshot {
    return this.snapshot;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): TerminalSnapshot => this.snapshot;

  /** Shows the screen in `element` and opens the session at the size that fits it. */
  async open(element: HTMLElement): Promise<void> {
    this.term.open(element);
    this.fit.fit();
    this.observer = new ResizeObserver(() => this.refit());
    this.observer.observe(element);
    try {
      const { opened, follower } = await followStream(
        this.api,
        'terminal.output',
        () =>
          this.api.call('terminal.open', {
            unit: this.unit,
            cols: this.term.cols,
            rows: this.term.rows,
            interactive: true,
          }),
        {
          onData: (payload, f) => this.term.write(payload.data, () => f.ack(payload.data.length)),
          onEnded: (ended) => this.set({ ...this.snapshot, status: 'ended', reason: ended.reason }),
          timers: windowTimers,
        },
      );
      if (this.isDisposed) {
        await follower.close();
        return;
      }
      this.follower = follower;
      const input = createInputQueue(
        (data, end) => this.api.call('terminal.input', { streamId: opened.streamId, data, end }),
        () => undefined,
      );
      this.term.onData((data) => input.push(data));
      this.term.onResize(({ cols, rows }) => {
        void this.api.call('terminal.resize', { streamId: opened.streamId, cols, rows }).catch(() => undefined);
      });
      if (this.snapshot.status === 'opening') {
        this.set({ status: 'open', reason: null, opened });
      } else {
        this.set({ ...this.snapshot, opened });
      }
      this.term.focus();
    } catch (error) {
      this.set({ status: 'failed', reason: error, opened: null });
    }
  }

  setFontSize(size: number): void {
    this.term.options.fontSize = size;
    this.refit();
  }

  find(text: string, backwards = false): boolean {
    if (text === '') {
      this.search.clearDecorations();
      return false;
    }
    return backwards ? this.search.findPrevious(text) : this.search.findNext(text);
  }

  async copy(): Promise<void> {
    const selection = this.term.getSelection();
    if (selection !== '') {
      await navigator.clipboard.writeText(selection);
    }
  }

  async paste(): Promise<void> {
    // xterm turns a paste into input (bracketed where the shell asked for it), like a typed line.
    this.term.paste(await navigator.clipboard.readText());
  }

  /** Ends the session on the vehicle (the tab was closed) and frees the screen. */
  async close(): Promise<void> {
    this.isDisposed = true;
    this.observer?.disconnect();
    window.clearTimeout(this.resizeTimer);
    await this.follower?.close();
    this.term.dispose();
  }

  /** Fits the screen to its panel again (after the panel was hidden or resized). */
  refit(): void {
    window.clearTimeout(this.resizeTimer);
    this.resizeTimer = window.setTimeout(() => {
      if (!this.isDisposed && this.term.element?.isConnected && this.term.element.offsetParent !== null) {
        this.fit.fit();
      }
    }, RESIZE_SETTLE_MS);
  }

  private set(next: TerminalSnapshot): void {
    this.snapshot = next;
    this.listeners.forEach((listener) => listener());
  }
}
