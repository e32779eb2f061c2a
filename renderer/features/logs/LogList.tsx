import { useEffect, useLayoutEffect, useRef, useState } from 'react';

import { priorityName, type LogLine } from '../../../shared/domain/unitLogs';

const ROW_HEIGHT = 20;
const OVERSCAN = 20;

function lineTime(atMs: number): string {
  const d = new Date(atMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/**
 * The log lines as a list that only draws the rows in sight (tens, whatever the thousands held), following the
 * newest line while the reader stays at the bottom; `focus` scrolls to a line and marks it (a failed check's time).
 */
export function LogList({ lines, focus }: { lines: readonly LogLine[]; focus: number | null }) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const isAtBottom = useRef(true);

  useEffect(() => {
    const element = viewport.current;
    if (!element) {
      return;
    }
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element) {
      return;
    }
    if (focus !== null) {
      element.scrollTop = Math.max(0, focus * ROW_HEIGHT - element.clientHeight / 3);
    } else if (isAtBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
    setScrollTop(element.scrollTop);
  }, [lines, focus]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows = [];
  for (let index = first; index < last; index += 1) {
    const line = lines[index];
    if (line === undefined) {
      continue;
    }
    const priority = priorityName(line.priority);
    rows.push(
      <div
        key={index}
        className={`log-line log-line--${priority}${index === focus ? ' log-line--focus' : ''}`}
        style={{ top: index * ROW_HEIGHT }}
        data-testid="log-line"
        data-priority={priority}
      >
        <span className="log-line__time">{lineTime(line.atMs)}</span>
        <span className="log-line__priority">{priority}</span>
        <span className="log-line__who">
          {line.identifier}
          {line.pid === null ? '' : `[${line.pid}]`}
        </span>
        <span className="log-line__message">{line.message}</span>
      </div>,
    );
  }
  return (
    <div
      className="log-list"
      ref={viewport}
      data-testid="log-list"
      data-count={lines.length}
      onScroll={(event) => {
        const element = event.currentTarget;
        isAtBottom.current = element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT;
        setScrollTop(element.scrollTop);
      }}
    >
      <div className="log-list__space" style={{ height: lines.length * ROW_HEIGHT }}>
        {rows}
      </div>
    </div>
  );
}
