import { Presets, SingleBar } from 'cli-progress';
import { clickThroughLine, formatSummary, servedLine, simulatedClock, type Progress, type Summary } from './summary';

/** The payload of one redraw of the bar. */
export function barFields(progress: Progress): Record<string, string> {
  return {
    phase: progress.phase === 'browsing' ? '' : `${progress.phase} `,
    clock: simulatedClock(progress.simulatedSec, progress.days),
    ads: servedLine(progress, ' '),
    clicks: String(progress.clicks),
    ctr: clickThroughLine(progress),
  };
}

/**
 * The progress bar on a terminal (cli-progress, on stderr), and the summary at
 * the end (on stdout). Where stderr is no terminal (CI, a pipe), one line
 * every five seconds instead of redraws. Warnings wait until the bar is done,
 * so they do not tear it; each distinct one is printed once, with its count.
 */
export class TerminalReport {
  private readonly bar = new SingleBar(
    {
      format: '{phase}{bar} {percentage}% | {clock} | {value}/{total} views | ads {ads} | clicks {clicks} | CTR {ctr}',
      barsize: 20,
      fps: 5,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    Presets.shades_classic,
  );
  private readonly warnings = new Map<string, number>();
  private started = false;

  update(progress: Progress): void {
    if (!this.started) {
      this.bar.start(progress.plannedPageViews, progress.pageViews, barFields(progress));
      this.started = true;
    } else {
      this.bar.update(progress.pageViews, barFields(progress));
    }
  }

  warn(text: string): void {
    this.warnings.set(text, (this.warnings.get(text) ?? 0) + 1);
  }

  /** Stops the bar, prints the warnings, then the summary (if the run got that far). */
  finish(summary?: Summary): void {
    if (this.started) this.bar.stop();
    for (const [text, count] of this.warnings) process.stderr.write(`warning: ${text}${count > 1 ? ` (${count} times)` : ''}\n`);
    if (summary) process.stdout.write(`\n${formatSummary(summary)}\n`);
  }
}
