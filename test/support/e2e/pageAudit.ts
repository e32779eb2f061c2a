import type { Page } from 'playwright-core';

/** One text element that fails a rule, named so that the failure says where to look. */
export type TextFinding = { where: string; text: string; value: number };

export type PageAudit = {
  /** The document is wider than the window: the page scrolls sideways. */
  overflowPx: number;
  /** Elements that reach past the window's right edge outside any scroll box (the culprits of the overflow). */
  pastRightEdge: string[];
  /** Text smaller than the minimum (px). */
  smallText: TextFinding[];
  /** Text whose contrast with what is behind it is below the minimum (ratio). */
  lowContrast: TextFinding[];
  /** Text elements measured: a page that measured none did not render. */
  measured: number;
};

export type AuditOptions = { minFontPx: number; minContrast: number };

/**
 * Measures the page as it is drawn, from computed styles: every visible element with text of its own (and every
 * form control's value) has its font size and its contrast with the colour really behind it (backgrounds composited
 * up the ancestors, opacity included) checked; disabled controls are exempt, as WCAG exempts inactive components.
 * Runs in the page: it must stay self-contained (no imports, no helpers from outside).
 */
export function auditPage(page: Page, options: AuditOptions): Promise<PageAudit> {
  return page.evaluate((opts) => {
    type Rgba = [number, number, number, number];
    const parse = (value: string): Rgba | null => {
      const match = /rgba?\(([^)]+)\)/.exec(value);
      if (!match) {
        return null;
      }
      const parts = match[1]!
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [parts[0]!, parts[1]!, parts[2]!, parts.length > 3 ? parts[3]! : 1];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const a = top[3];
      return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
    };
    const luminance = (c: Rgba): number => {
      const channel = (v: number): number => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
    };
    const ratio = (a: Rgba, b: Rgba): number => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (hi + 0.05) / (lo + 0.05);
    };
    const canvas = parse(getComputedStyle(document.documentElement).backgroundColor) ?? [255, 255, 255, 1];
    const backdrop = (canvas[3] === 0 ? parse(getComputedStyle(document.body).backgroundColor) : canvas) ?? [
      255, 255, 255, 1,
    ];
    /** The colour behind an element: its own background and its ancestors', composited down to the page's. */
    const behind = (element: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let node: Element | null = element; node; node = node.parentElement) {
        const color = parse(getComputedStyle(node).backgroundColor);
        if (color && color[3] > 0) {
          layers.push(color);
          if (color[3] >= 1) {
            break;
          }
        }
      }
      let result: Rgba = [backdrop[0], backdrop[1], backdrop[2], 1];
      for (const layer of layers.reverse()) {
        result = over(layer, result);
      }
      return result;
    };
    const opacityOf = (element: Element): number => {
      let opacity = 1;
      for (let node: Element | null = element; node; node = node.parentElement) {
        opacity *= Number(getComputedStyle(node).opacity);
      }
      return opacity;
    };
    const describe = (element: Element): string => {
      const path: string[] = [];
      for (let node: Element | null = element; node && path.length < 4; node = node.parentElement) {
        const id = node.getAttribute('data-testid');
        const cls = typeof node.className === 'string' ? node.className.split(' ')[0] : '';
        path.unshift(id ? `[${id}]` : `${node.tagName.toLowerCase()}${cls ? `.${cls}` : ''}`);
        if (id) {
          break;
        }
      }
      return path.join(' > ');
    };
    const ownText = (element: Element): string => {
      if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
        return ['checkbox', 'radio', 'range', 'hidden', 'file', 'color'].includes(element.type) ? '' : element.value;
      }
      if (element instanceof HTMLSelectElement) {
        return element.selectedOptions[0]?.textContent ?? '';
      }
      let text = '';
      for (const child of Array.from(element.childNodes)) {
        if (child.nodeType === Node.TEXT_NODE) {
          text += child.textContent ?? '';
        }
      }
      return text.trim();
    };
    const isShown = (element: Element, style: CSSStyleDeclaration): boolean => {
      if (style.visibility !== 'visible' || style.display === 'none' || element.closest('[hidden], option')) {
        return false;
      }
      const rect = element.getBoundingClientRect();
      // The visually hidden (1 px, clipped) text is for screen readers, and text parked off the page (a chart
      // library's measuring span) for scripts: neither is for eyes.
      const isOffPage = rect.bottom + window.scrollY <= 0 || rect.right + window.scrollX <= 0;
      return rect.width > 1 && rect.height > 1 && style.clipPath !== 'inset(50%)' && !isOffPage;
    };

    const smallText: { where: string; text: string; value: number }[] = [];
    const lowContrast: { where: string; text: string; value: number }[] = [];
    let measured = 0;
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      const text = ownText(element);
      if (text === '' || element.closest('script, style, noscript')) {
        continue;
      }
      const style = getComputedStyle(element);
      if (!isShown(element, style) || element.closest(':disabled, [aria-disabled="true"]')) {
        continue;
      }
      measured += 1;
      const sample = text.slice(0, 40);
      const size = parseFloat(style.fontSize);
      if (size < opts.minFontPx - 0.01) {
        smallText.push({ where: describe(element), text: sample, value: Math.round(size * 100) / 100 });
      }
      const ink = parse(element instanceof SVGElement ? style.fill : style.color);
      if (!ink) {
        continue;
      }
      const back = behind(element);
      const alpha = ink[3] * opacityOf(element);
      const value = ratio(over([ink[0], ink[1], ink[2], alpha], back), back);
      if (value < opts.minContrast) {
        lowContrast.push({ where: describe(element), text: sample, value: Math.round(value * 100) / 100 });
      }
    }

    const width = document.documentElement.clientWidth;
    const pastRightEdge: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.right <= width + 0.5) {
        continue;
      }
      // Inside a box that scrolls on its own, it is that box's business, not the page's.
      let scrolled = false;
      for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
        const overflowX = getComputedStyle(node).overflowX;
        if (overflowX === 'auto' || overflowX === 'scroll' || overflowX === 'hidden' || overflowX === 'clip') {
          scrolled = true;
          break;
        }
      }
      if (!scrolled && pastRightEdge.length < 8) {
        pastRightEdge.push(`${describe(element)} (right ${Math.round(rect.right)} px)`);
      }
    }
    return {
      overflowPx: document.documentElement.scrollWidth - width,
      pastRightEdge,
      smallText,
      lowContrast,
      measured,
    };
  }, options);
}
