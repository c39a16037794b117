// What `npm run screenshots` needs from the machine, checked before anything runs: chromium to draw, and a
// colour emoji font for the summaries' icons. Without the font the pictures are drawn with text symbols instead
// (and it says so), rather than with empty boxes where the emoji would be.
import { execFileSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

export const EMOJI_FONT_PACKAGE = 'fonts-noto-color-emoji'

export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some(dir => {
    try {
      accessSync(join(dir, command), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

/** Whether fontconfig knows a font with the emoji the summaries use (🔌 is the rarest of them). */
export function emojiFontInstalled(): boolean {
  try {
    return execFileSync('fc-list', [':charset=1f50c', 'family'], { encoding: 'utf8' }).trim() !== ''
  } catch {
    return false
  }
}

// The emoji of the summaries and the CLI, and a text symbol that DejaVu Sans (Debian's default) draws.
const TEXT_SYMBOL: Record<string, string> = {
  '✅': '✔',
  '❌': '✘',
  '⚠️': '⚠',
  '⏱️': '⌚',
  '🔌': '⌁',
  '⏳': '⌛',
  '❔': '?'
}

export function withoutEmoji(html: string): string {
  let out = html
  for (const [emoji, symbol] of Object.entries(TEXT_SYMBOL)) out = out.split(emoji).join(symbol)
  return out.replace(/\uFE0F/g, '')
}

/** Problems that stop the pictures (first) and notes that only change them, as lines to print. */
export function preflight(path = process.env.PATH ?? ''): {
  missing: string[]
  notes: string[]
  emoji: boolean
} {
  const missing = onPath('chromium', path)
    ? []
    : [
        'chromium is not on PATH: the pictures are drawn by headless chromium (Debian: sudo apt-get install chromium)'
      ]
  const emoji = emojiFontInstalled()
  const notes = emoji
    ? []
    : [
        `no colour emoji font: the summaries' icons (✅ ❌ ⏱️ 🔌 ⏳) are drawn as text symbols; for the real ones install Debian's ${EMOJI_FONT_PACKAGE} (sudo apt-get install ${EMOJI_FONT_PACKAGE})`
      ]
  return { missing, notes, emoji }
}
