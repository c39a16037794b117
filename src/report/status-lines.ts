// At a terminal, one live line per cluster while several are verified at once: each redrawn in place (elapsed time,
// the cluster's context, what it waits for or its verdict). Cluster text is stripped to one line before the tty.
import { oneLine } from './safe.js'
import type { Out } from './terminal.js'

export class StatusLines {
  private readonly lines: { label: string; text: string }[] = []
  private drawn = 0
  private readonly started = Date.now()
  private timer?: NodeJS.Timeout

  constructor(private readonly out: Out) {}

  /** The line of `label` (added below the others the first time), set to `text`. */
  set(label: string, text: string): void {
    const line = this.lines.find(l => l.label === label)
    if (line) line.text = oneLine(text, 1000)
    else this.lines.push({ label, text: oneLine(text, 1000) })
    if (!this.timer) {
      this.timer = setInterval(() => this.draw(), 200)
      this.timer.unref()
    }
    this.draw()
  }

  private draw(): void {
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(1).padStart(5)
    const width = Math.max(20, this.out.columns - 1)
    const pad = Math.max(...this.lines.map(l => l.label.length))
    const rows = this.lines.map(l => {
      const row = `⏳ ${elapsed}s  ${oneLine(l.label).padEnd(pad)}  ${l.text}`
      return `\u001b[2K${row.length > width ? row.slice(0, width - 1) + '…' : row}`
    })
    this.out.write(`${this.up()}${rows.join('\n')}`)
    this.drawn = rows.length
  }

  /** Back to the start of the first line drawn. */
  private up(): string {
    return this.drawn > 1 ? `\r\u001b[${this.drawn - 1}A` : '\r'
  }

  stop(): void {
    clearInterval(this.timer)
    if (this.drawn === 0) return
    this.out.write(
      `${this.up()}${Array(this.drawn).fill('\u001b[2K').join('\n')}${this.drawn > 1 ? `\r\u001b[${this.drawn - 1}A` : '\r'}`
    )
    this.drawn = 0
  }
}
