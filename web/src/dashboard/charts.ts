import uPlot from 'uplot';
import { shapeOf, type ChartData } from './chart-data';

// The four charts, drawn by uPlot on canvases sized to their boxes: dark
// theme, large type, one colour per version (given), and the line's part as
// its dash (p50 solid, p95 dashed, p99 dotted).

export interface ChartStyle {
  /** How the y values read on the axis: a rate from 0 to 1 (the whole range, or up to its highest value), ms, or a share in %. */
  y: 'rate' | 'ratio' | 'ms' | 'share';
  /** x is time (seconds since the epoch), or a number (the fitness in €). */
  x: 'time' | 'eur';
  /** Lines, or steps filled underneath (a histogram). */
  kind: 'lines' | 'steps';
}

const INK = '#f5f7fa';
const GRID = 'rgba(245, 247, 250, 0.16)';
const DASHES: Record<string, number[] | undefined> = { '': undefined, p50: undefined, p95: [10, 6], p99: [3, 5] };

/** A time of day, to the minute (to the second within a minute): the window says which day. */
function clock(seconds: number): string {
  const d = new Date(seconds * 1000);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return d.getSeconds() === 0 ? hm : `${hm}:${String(d.getSeconds()).padStart(2, '0')}`;
}

/** The root font size in pixels: the charts' type follows the page's. */
function fontPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

function yValues(style: ChartStyle['y']): uPlot.Axis['values'] {
  if (style === 'rate' || style === 'ratio') return (_u, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`);
  if (style === 'share') return (_u, ticks) => ticks.map((t) => `${t}%`);
  return (_u, ticks) => ticks.map((t) => `${t}`);
}

/** A chart in a box of the page; made again when its lines change, else given the new data. */
export class Chart {
  private plot: uPlot | null = null;
  private shape = '';

  constructor(
    private readonly box: HTMLElement,
    private readonly style: ChartStyle,
  ) {
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(box);
  }

  draw(data: ChartData, colour: (version: string) => string): void {
    const aligned = [data.x, ...data.columns] as uPlot.AlignedData;
    const shape = shapeOf(data);
    if (this.plot && shape === this.shape) {
      this.plot.setData(aligned);
      return;
    }
    this.plot?.destroy();
    this.shape = shape;
    const font = fontPx();
    const axisFont = `${Math.round(font * 0.85)}px system-ui, sans-serif`;
    const axis = { stroke: INK, font: axisFont, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 } };
    const steps = this.style.kind === 'steps' ? uPlot.paths.stepped!({ align: 1 }) : undefined;
    this.plot = new uPlot(
      {
        ...this.size(),
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: this.style.x === 'time' },
          y: { range: this.style.y === 'rate' ? [0, 1] : (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          { ...axis, size: font * 2.2, values: this.style.x === 'eur' ? (_u: uPlot, ticks: number[]) => ticks.map((t) => `€${t}`) : (_u: uPlot, ticks: number[]) => ticks.map(clock) },
          { ...axis, size: font * 3.6, values: yValues(this.style.y) },
        ],
        series: [
          {},
          ...data.lines.map(
            (line): uPlot.Series => ({
              label: line.part ? `${line.version} ${line.part}` : line.version,
              stroke: colour(line.version),
              width: line.part === 'p50' || line.part === '' ? 3 : 2,
              dash: DASHES[line.part],
              // A bucket alone between empty ones has no line to either side: its point shows it.
              points: { show: !steps, size: Math.round(font * 0.45), width: 1, fill: colour(line.version) },
              spanGaps: false,
              ...(steps ? { paths: steps, fill: `${colour(line.version)}33` } : {}),
            }),
          ),
        ],
      },
      aligned,
      this.box,
    );
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, this.box.clientWidth), height: Math.max(120, this.box.clientHeight) };
  }
}
