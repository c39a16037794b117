// `npm run screenshots` says what the machine lacks before it starts, names the emoji font, and does without it.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { tempDir } from '../../testcluster/tmp.js'
import {
  EMOJI_FONT_PACKAGE,
  emojiFontInstalled,
  onPath,
  preflight,
  withoutEmoji
} from '../../scripts/picture-tools.js'

test('without chromium: one line each for what is missing, exit 2, no stack trace', () => {
  const r = spawnSync(resolve('node_modules/.bin/tsx'), ['scripts/screenshots.ts'], {
    // The machine's PATH without chromium (node for tsx itself stays).
    env: {
      PATH: [resolve('node_modules/.bin'), '/usr/bin', '/bin'].filter(d => !onPath('chromium', d)).join(':'),
      TMPDIR: tempDir('kv-tsx-') // tsx's cache, removed with the rest
    },
    encoding: 'utf8',
    timeout: 30_000
  })
  expect(r.status).toBe(2)
  expect(r.stderr).toMatch(/^npm run screenshots: chromium is not on PATH.*apt-get install chromium/m)
  if (!emojiFontInstalled()) expect(r.stderr).toContain(`apt-get install ${EMOJI_FONT_PACKAGE}`)
  expect(r.stderr).not.toMatch(/\n\s+at /)
})

test('the emoji font is named by its Debian package', () => {
  const p = preflight('/nonexistent')
  expect(p.missing.join(' ')).toMatch(/chromium/)
  if (!p.emoji) expect(p.notes.join(' ')).toMatch(/fonts-noto-color-emoji/)
})

test('without the font, every icon of the summaries becomes a text symbol', () => {
  const html = withoutEmoji('<h2>✅ ok ❌ no ⚠️ warn ⏱️ late 🔌 off ⏳ wait ❔ unknown</h2>')
  expect(html).not.toMatch(/[✅❌🔌⏳❔]|\uFE0F/u)
  expect(html).toBe('<h2>✔ ok ✘ no ⚠ warn ⌚ late ⌁ off ⌛ wait ? unknown</h2>')
})
