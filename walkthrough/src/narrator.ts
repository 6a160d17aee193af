import { createInterface, type Interface } from 'node:readline';
import type { Claim } from './checks';

// The walkthrough's voice in the terminal: each act's title, the words to
// say, the commands as they run, a live progress line, the monitor's figures,
// and every claim checked. Colour and a progress line redrawn in place on a
// terminal; plain lines, one progress line every few seconds, anywhere else.

const PLAIN_PROGRESS_EVERY_MS = 5_000;
const WIDTH = 78;

export interface NarratorOptions {
  out: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Where the speaker presses Enter between acts. */
  input?: NodeJS.ReadableStream;
  /** Colour and redrawn progress lines: for a terminal. */
  tty: boolean;
}

export class Narrator {
  private progressShown = false;
  private lastPlainProgress = 0;
  private plainComplete = false;
  /** The speaker's keyboard, read for the whole run: Enter ends a pause, and a line typed during an act ends none. */
  private readonly keys: Interface | null;
  private keysClosed = false;
  private waitingForEnter: (() => void) | null = null;

  constructor(private readonly options: NarratorOptions) {
    this.keys = options.input ? createInterface({ input: options.input, terminal: false }) : null;
    this.keys?.on('line', () => {
      this.waitingForEnter?.();
      this.waitingForEnter = null;
    });
    this.keys?.on('close', () => {
      this.keysClosed = true;
      this.waitingForEnter?.();
    });
  }

  private paint(code: string, text: string): string {
    return this.options.tty ? `\x1b[${code}m${text}\x1b[0m` : text;
  }

  private write(text: string): void {
    this.endProgress();
    this.options.out.write(`${text}\n`);
  }

  /** The act being told, once one has begun. */
  currentAct: number | null = null;

  act(number: number, of: number, title: string): void {
    this.currentAct = number;
    const head = `━━ Act ${number} of ${of} · ${title} `;
    this.write('');
    this.write(this.paint('1;36', head.padEnd(WIDTH, '━')));
  }

  heading(text: string): void {
    this.write('');
    this.write(this.paint('1', text));
  }

  /** What the speaker says, wrapped. */
  say(text: string): void {
    this.write(this.paint('3', wrap(text, WIDTH - 8, '  Say:  ', '        ')));
  }

  note(label: string, text: string): void {
    this.write(wrap(text, WIDTH - 12, `  ${label.padEnd(8)}  `, ' '.repeat(12)));
  }

  command(text: string): void {
    this.write(this.paint('1;33', `  $ ${text}`));
  }

  /** A line a command printed. */
  output(line: string): void {
    this.write(this.paint('2', `    ${line}`));
  }

  /** One line of the closing table: an act that showed what it should, or not. */
  result(ok: boolean, text: string): void {
    this.write(`  ${ok ? this.paint('32', '✓') : this.paint('1;31', '✗')} ${text}`);
  }

  figure(text: string): void {
    this.write(`  ${this.paint('36', '▸')} ${text}`);
  }

  claim(c: Claim): void {
    const mark = c.holds ? this.paint('32', '✓') : this.paint('1;31', '✗');
    this.write(`  ${mark} ${c.claim}`);
    this.write(this.paint('2', `      ${c.evidence}`));
  }

  /** One progress line: redrawn in place on a terminal, every few seconds elsewhere. */
  progress(done: number, total: number, text: string): void {
    const bar = progressBar(done, total, 24);
    if (this.options.tty) {
      this.options.out.write(`\r\x1b[2K  ${bar} ${text}`);
      this.progressShown = true;
      return;
    }
    // Elsewhere: a line every few seconds, and one when the bar is full.
    const now = Date.now();
    const completes = done >= total && !this.plainComplete;
    if (now - this.lastPlainProgress < PLAIN_PROGRESS_EVERY_MS && !completes) return;
    this.lastPlainProgress = now;
    this.plainComplete ||= done >= total;
    this.options.out.write(`  ${bar} ${text}\n`);
  }

  /** Ends a progress line redrawn in place, so the next line starts below it. */
  endProgress(): void {
    this.lastPlainProgress = 0;
    this.plainComplete = false;
    if (!this.progressShown) return;
    this.progressShown = false;
    this.options.out.write('\n');
  }

  /** Waits until the speaker presses Enter (at once when nobody can: no input, or its end). */
  async pause(prompt: string): Promise<void> {
    this.endProgress();
    if (!this.keys || this.keysClosed) return;
    this.options.out.write(this.paint('1', `\n${prompt} `));
    await new Promise<void>((resolve) => (this.waitingForEnter = resolve));
  }

  /** Stops reading the keyboard. */
  close(): void {
    this.keys?.close();
  }
}

/** A bar of `width` cells for done of total: "▕██████░░░░▏". */
function progressBar(done: number, total: number, width: number): string {
  const share = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const full = Math.round(share * width);
  return `▕${'█'.repeat(full)}${'░'.repeat(width - full)}▏`;
}

/** Text wrapped at `width`, the first line after `first`, the others after `rest`. */
function wrap(text: string, width: number, first: string, rest: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l, i) => `${i === 0 ? first : rest}${l}`).join('\n');
}
