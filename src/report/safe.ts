// Text from the cluster (names, event messages, logs) is untrusted: it must not start a workflow command,
// forge an output, break the summary's markup, or move the terminal's cursor.

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)|\u001b[@-_]/g
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0080-\u009f\u202a-\u202e\u2066-\u2069]/g
const ZWSP = '\u200b'

/** Removes terminal escapes and control characters; keeps tabs and newlines. */
export function stripControl(s: string): string {
  return s.replace(ANSI, '').replace(/\r\n?/g, '\n').replace(CONTROL, '')
}

/**
 * One or more lines safe for the runner's log: no line can begin a `::command::`, and no `##[` legacy
 * command survives anywhere (a zero-width space breaks both).
 */
export function safeLog(s: string): string {
  return stripControl(s)
    .split('\n')
    .map(line => line.replace(/^(\s*):/, `$1:${ZWSP}`).replace(/##\[/g, `#${ZWSP}#[`))
    .join('\n')
}

/** A single line (for outputs like `reason` and for annotation titles). */
export function oneLine(s: string, max = 1000): string {
  const t = safeLog(s)
    .replace(/\s*\n\s*/g, ' ')
    .trim()
  return t.length > max ? t.slice(0, max - 1) + '…' : t
}

/** Inline Markdown text: HTML and Markdown's active characters escaped, table pipes too. */
export function md(s: string, max = 2000): string {
  const t = oneLine(s, max)
  return t
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/([\\`*_{}[\]~])/g, '\\$1')
    .replace(/^(\s*)([-=+#>]|\d+\.)/, '$1\\$2')
}

/** Inline code: backticks cannot close it early. */
export function mdCode(s: string, max = 300): string {
  const t = oneLine(s, max).replace(/`/g, 'ˋ').replace(/\|/g, '¦')
  return `\`${t}\``
}

/** A preformatted block (logs) as HTML `<pre>`: escaped, so it cannot close itself or a `<details>`. */
export function preBlock(lines: string[], maxLines = 50, maxChars = 300): string {
  const shown = lines.slice(-maxLines).map(l => {
    const t = stripControl(l)
    return t.length > maxChars ? t.slice(0, maxChars) + ` … (${t.length - maxChars} more characters)` : t
  })
  const cut = lines.length > maxLines ? `… ${lines.length - maxLines} earlier lines left out\n` : ''
  const body = (cut + shown.join('\n')).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return `<pre>${body}</pre>`
}

/** Text inside an HTML element of the summary (`<summary>`), where Markdown is not rendered. */
export function html(s: string, max = 2000): string {
  return oneLine(s, max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\|/g, '&#124;')
}
