// Draws report charts with recharts to static SVG markup, in a worker thread of its own: recharts needs a DOM, and
// the DOM it gets here (happy-dom) is set up as this thread's globals only, so the core's own globals stay clean.
// Plain JavaScript, so that it runs under Node, the CLI's TypeScript loader and the test runner alike.
import { parentPort, workerData } from 'node:worker_threads';

import { Window } from 'happy-dom';

const WIDTH = 680;
const HEIGHT = 260;

const window = new Window({ width: 1200, height: 900 });
const globals = {
  window,
  document: window.document,
  navigator: window.navigator,
  HTMLElement: window.HTMLElement,
  SVGElement: window.SVGElement,
  Element: window.Element,
  Node: window.Node,
  getComputedStyle: window.getComputedStyle.bind(window),
  requestAnimationFrame: window.requestAnimationFrame.bind(window),
  cancelAnimationFrame: window.cancelAnimationFrame.bind(window),
  ResizeObserver: window.ResizeObserver,
  MutationObserver: window.MutationObserver,
};
for (const [name, value] of Object.entries(globals)) {
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
}

const { createElement: h } = await import('react');
const { flushSync } = await import('react-dom');
const { createRoot } = await import('react-dom/client');
const recharts = await import('recharts');

function chart(spec) {
  const percent = spec.percent === true;
  const axis = [
    h(recharts.CartesianGrid, { key: 'grid', strokeDasharray: '3 3', stroke: '#ddd' }),
    // No text is measured here, so thin the ticks by count: about eight labels across the width.
    h(recharts.XAxis, {
      key: 'x',
      dataKey: spec.xKey,
      tick: { fontSize: 10 },
      interval: Math.max(0, Math.ceil(spec.data.length / 8) - 1),
    }),
    h(recharts.YAxis, {
      key: 'y',
      tick: { fontSize: 10 },
      allowDecimals: false,
      ...(percent ? { domain: [0, 1], tickFormatter: (v) => `${Math.round(v * 100)} %` } : {}),
    }),
    h(recharts.Legend, { key: 'legend', wrapperStyle: { fontSize: 11 } }),
  ];
  const series = spec.series.map((s) =>
    spec.type === 'stacked-area'
      ? h(recharts.Area, {
          key: s.key,
          dataKey: s.key,
          name: s.name,
          stackId: 'all',
          stroke: s.color,
          fill: s.color,
          fillOpacity: 0.85,
          type: 'stepAfter',
          isAnimationActive: false,
          dot: false,
        })
      : h(recharts.Bar, {
          key: s.key,
          dataKey: s.key,
          name: s.name,
          stackId: 'all',
          fill: s.color,
          isAnimationActive: false,
        }),
  );
  const Chart = spec.type === 'stacked-area' ? recharts.AreaChart : recharts.BarChart;
  return h(
    Chart,
    { width: WIDTH, height: HEIGHT, data: spec.data, margin: { top: 8, right: 16, bottom: 4, left: 8 } },
    [...axis, ...series],
  );
}

async function draw(spec) {
  const host = window.document.createElement('div');
  window.document.body.appendChild(host);
  const root = createRoot(host);
  flushSync(() => root.render(chart(spec)));
  // recharts lays a chart out in effects after the first render; a few turns of the event loop settle it.
  for (let turn = 0; turn < 20 && !host.querySelector('svg.recharts-surface'); turn += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
  const markup = host.innerHTML;
  root.unmount();
  host.remove();
  return markup;
}

try {
  const out = [];
  for (const spec of workerData.specs) {
    out.push(await draw(spec));
  }
  parentPort.postMessage({ ok: true, markup: out });
} catch (error) {
  parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
} finally {
  await window.happyDOM.close();
}
