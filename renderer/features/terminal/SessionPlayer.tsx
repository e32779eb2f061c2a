import { Terminal } from '@xterm/xterm';
import { useEffect, useMemo, useRef, useState } from 'react';

import { castDuration, parseCast, parseSize, type Cast } from '../../../shared/domain/asciicast';
import { useI18n } from '../../i18n/I18nProvider';
import '@xterm/xterm/css/xterm.css';
import './terminal.css';

const SPEEDS = [1, 2, 4, 8] as const;

/** What the screen receives between two moments of the recording: its output and its resizes, in order. */
function eventsBetween(cast: Cast, from: number, to: number): ({ text: string } | { cols: number; rows: number })[] {
  const out: ({ text: string } | { cols: number; rows: number })[] = [];
  for (const [time, code, data] of cast.events) {
    if (time <= from || time > to) {
      continue;
    }
    if (code === 'o' && data !== '') {
      const last = out.at(-1);
      if (last && 'text' in last) {
        last.text += data;
      } else {
        out.push({ text: data });
      }
    } else if (code === 'r') {
      const size = parseSize(data);
      if (size) {
        out.push(size);
      }
    }
  }
  return out;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Plays a recorded session on an xterm.js screen of its own: play and pause, a speed, and seeking to any moment
 * (the screen is rebuilt from the start to that moment, so it shows exactly what the technician saw then).
 */
export function SessionPlayer({ castText }: { castText: string }) {
  const { t } = useI18n();
  const cast = useMemo(() => parseCast(castText), [castText]);
  const duration = castDuration(cast);
  const element = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const position = useRef(0);
  const [shown, setShown] = useState(0);
  const [isPlaying, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);

  const apply = (from: number, to: number): void => {
    for (const step of eventsBetween(cast, from, to)) {
      if ('text' in step) {
        term.current?.write(step.text);
      } else {
        term.current?.resize(step.cols, step.rows);
      }
    }
    position.current = to;
    setShown(to);
  };
  const seek = (to: number): void => {
    term.current?.reset();
    term.current?.resize(cast.header.width, cast.header.height);
    apply(-1, Math.max(0, Math.min(duration, to)));
  };

  useEffect(() => {
    const screen = new Terminal({
      cols: cast.header.width,
      rows: cast.header.height,
      disableStdin: true,
      scrollback: 5000,
      fontFamily: "ui-monospace, 'DejaVu Sans Mono', Consolas, 'Liberation Mono', monospace",
      theme: { background: '#16202b', foreground: '#f3f6f9' },
    });
    term.current = screen;
    if (element.current) {
      screen.open(element.current);
    }
    position.current = 0;
    return () => {
      term.current = null;
      screen.dispose();
    };
  }, [cast]);

  useEffect(() => {
    if (!isPlaying) {
      return;
    }
    let frame = 0;
    let last = performance.now();
    const step = (now: number): void => {
      const to = Math.min(duration, position.current + ((now - last) / 1000) * speed);
      last = now;
      apply(position.current, to);
      if (to >= duration) {
        setPlaying(false);
        return;
      }
      frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- apply reads the refs; the loop restarts on these
  }, [isPlaying, speed, duration, cast]);

  return (
    <div className="player" data-testid="session-player">
      <div className="player__controls">
        <button
          type="button"
          className="button button--small button--primary"
          onClick={() => {
            if (position.current >= duration) {
              seek(0);
            }
            setPlaying((playing) => !playing);
          }}
          data-testid="player-play"
        >
          {isPlaying ? t('player.pause') : t('player.play')}
        </button>
        <input
          type="range"
          min={0}
          max={Math.max(duration, 0.001)}
          step={0.01}
          value={shown}
          aria-label={t('player.seek')}
          onChange={(event) => {
            setPlaying(false);
            seek(Number(event.target.value));
          }}
          data-testid="player-seek"
        />
        <span className="mono" data-testid="player-time" data-seconds={shown.toFixed(2)}>
          {clock(shown)} / {clock(duration)}
        </span>
        <label>
          {t('player.speed')}
          <select value={speed} onChange={(event) => setSpeed(Number(event.target.value))}>
            {SPEEDS.map((value) => (
              <option key={value} value={value}>
                {value}×
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--small" onClick={() => seek(duration)} data-testid="player-end">
          {t('player.toEnd')}
        </button>
      </div>
      <div className="player__screen" ref={element} data-testid="player-screen" />
    </div>
  );
}
