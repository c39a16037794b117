// Pictures for the README, made from real runs of the bundled action on the test cluster:
// the job summary of the seeds' story, and a failed deploy's annotations on the applied YAML.
// Needs Debian's chromium (apt-get install chromium) and, for the emoji, fonts-noto-color-emoji (without it the
// icons are drawn as text symbols). Usage: npm run screenshots
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { marked } from 'marked'
import { standInStories } from '../testcluster/stories/index.js'
import { play } from '../testcluster/stories/stand-in.js'
import { kubeconfigYaml, writeKubeconfig } from '../testcluster/kubeconfig.js'
import { runAction } from '../testcluster/run-action.js'
import { removeTempDirs, tempDir } from '../testcluster/tmp.js'
import { preflight, withoutEmoji } from './picture-tools.js'

const check = preflight()
for (const m of check.missing) console.error(`npm run screenshots: ${m}`)
for (const n of check.notes) console.error(`npm run screenshots: ${n}`)
if (check.missing.length > 0) process.exit(2)
if (!existsSync('dist/index.js') || !existsSync('dist/cli/index.js')) {
  console.error('npm run screenshots: dist/ is missing: run `npm run bundle` first')
  process.exit(2)
}
process.on('exit', removeTempDirs)

const OUT = resolve('docs/images')
const CSS = `body{font:14px/1.5 -apple-system,"Segoe UI","DejaVu Sans",sans-serif;color:#1f2328;margin:0;background:#f6f8fa}
.box{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:16px;padding:8px 24px}
h2{border-bottom:1px solid #d8dee4;padding-bottom:.3em}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 10px}
code{background:#eff1f3;border-radius:4px;padding:.1em .3em;font-size:90%}pre{background:#f6f8fa;padding:8px;overflow:auto}
.file{font-family:monospace;font-size:13px}.ln{color:#6e7781;width:3em;display:inline-block;text-align:right;margin-right:1em}
.ann{margin:4px 0 4px 4em;border:1px solid #d0d7de;border-left:4px solid #cf222e;border-radius:6px;padding:6px 12px;font-family:sans-serif;background:#fff}
.ann.warning{border-left-color:#9a6700}.ann.notice{border-left-color:#0969da}.ann b{display:block}.hdr{background:#f6f8fa;border-bottom:1px solid #d0d7de;padding:8px 16px;font-weight:600}`

function shot(html: string, name: string, height: number): void {
  const dir = tempDir('kv-shot-')
  const page = join(dir, 'page.html')
  const body = check.emoji ? html : withoutEmoji(html)
  writeFileSync(page, `<!doctype html><meta charset="utf-8"><style>${CSS}</style>${body}`)
  const out = join(OUT, name)
  execFileSync(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--window-size=1100,${height}`,
      `--screenshot=${out}`,
      `file://${page}`
    ],
    { stdio: 'ignore' }
  )
  console.log(`wrote ${out}`)
}

interface Command {
  level: string
  props: Record<string, string>
  message: string
}

function commands(stdout: string): Command[] {
  const unescape = (s: string): string =>
    s
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%')
  return stdout
    .split('\n')
    .map(l => /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => Boolean(m))
    .map(m => ({
      level: m[1]!,
      props: Object.fromEntries(
        (m[2] ?? '')
          .split(',')
          .filter(Boolean)
          .map(kv => [kv.slice(0, kv.indexOf('=')), unescape(kv.slice(kv.indexOf('=') + 1))])
      ),
      message: unescape(m[3]!)
    }))
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

async function run(
  caseName: string,
  extra: Record<string, string>,
  scale: number
): Promise<Awaited<ReturnType<typeof runAction>>> {
  const c = standInStories().find(x => x.name.startsWith(caseName))!
  const pb = await play(c.scenario(), { scale, quiet: true })
  try {
    return await runAction(
      { ...c.inputs, ...extra, kubeconfig: kubeconfigYaml(pb.server) },
      { env: { GITHUB_WORKSPACE: resolve('.') } }
    )
  } finally {
    await pb.stop()
  }
}

// 1. The seeds' story: the summary that shows a false alarm for what it is.
const seeds = await run('success: the seeds', {}, 0.35)
shot(`<div class="box">${await marked.parse(seeds.summary)}</div>`, 'summary-seeds.png', 1300)

// 2. A failed deploy with `manifests`: the annotations land on the line to change.
const failed = await run('config-error', { manifests: 'docs/examples/web.yaml' }, 1)
shot(`<div class="box">${await marked.parse(failed.summary)}</div>`, 'summary-config-error.png', 1150)
const yaml = readFileSync('docs/examples/web.yaml', 'utf8').split('\n')
const cmds = commands(failed.stdout)
const rows: string[] = []
yaml.forEach((line, i) => {
  rows.push(`<div><span class="ln">${i + 1}</span>${esc(line).replace(/ /g, '&nbsp;')}</div>`)
  for (const c of cmds.filter(x => Number(x.props.line) === i + 1))
    rows.push(`<div class="ann ${c.level}"><b>${esc(c.props.title ?? c.level)}</b>${esc(c.message)}</div>`)
})
const unplaced = cmds
  .filter(c => !c.props.file)
  .map(
    c =>
      `<div class="ann ${c.level}" style="margin-left:0"><b>${esc(c.props.title ?? c.level)}</b>${esc(c.message)}</div>`
  )
shot(
  `<div class="box"><div class="hdr">Annotations · deploy / verify</div>${unplaced.join('')}</div><div class="box file"><div class="hdr">docs/examples/web.yaml</div>${rows.join('')}</div>`,
  'annotations-config-error.png',
  1250
)

// 3. The CLI in a real pseudo-terminal: the seeds' story, and a crash loop.
const ANSI_CSS: Record<string, string> = {
  '1': 'font-weight:bold',
  '2': 'opacity:.6',
  '31': 'color:#ff6b6b',
  '32': 'color:#51cf66',
  '33': 'color:#fcc419',
  '35': 'color:#cc5de8',
  '36': 'color:#22b8cf'
}
function ansiToHtml(text: string): string {
  let open = 0
  const html = esc(text).replace(/\u001b\[([\d;]*)m/g, (_m, codes: string) => {
    if (codes === '0' || codes === '') {
      const close = '</span>'.repeat(open)
      open = 0
      return close
    }
    open++
    return `<span style="${codes
      .split(';')
      .map(c => ANSI_CSS[c] ?? '')
      .join(';')}">`
  })
  return html + '</span>'.repeat(open)
}

async function terminal(caseName: string, args: string[], scale: number, file: string): Promise<void> {
  const c = standInStories().find(x => x.name.startsWith(caseName))!
  const pb = await play(c.scenario(), { scale, quiet: true })
  const kc = writeKubeconfig(pb.server)
  const cmd = ['node', resolve('dist/cli/index.js'), ...args].map(a => `'${a}'`).join(' ')
  const out = await new Promise<string>(r => {
    const p = spawn('script', ['-qefc', `stty cols 110; ${cmd}`, '/dev/null'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tempDir('kv-shot-home-'),
        KUBECONFIG: kc,
        TERM: 'xterm-256color'
      }
    })
    let o = ''
    p.stdout.on('data', (d: Buffer) => (o += d.toString()))
    p.on('close', () => r(o))
  })
  await pb.stop()
  const last = out.split('\r\u001b[2K').pop()!.replace(/\r/g, '')
  const frames = out
    .split('\r\u001b[2K')
    .filter(f => f.startsWith('⏳'))
    .slice(-3, -2)
  const prompt = `<span style="color:#51cf66">$</span> kube-verdict ${esc(args.join(' '))}\n`
  const status = frames.length
    ? `${ansiToHtml(frames[0]!)}   <span style="opacity:.5">(the live status line, as it read a moment before the verdict)</span>\n\n`
    : ''
  shot(
    `<pre style="background:#1e1e1e;color:#e0e0e0;margin:0;padding:18px;font:14px/1.45 'DejaVu Sans Mono',monospace;min-height:100vh;white-space:pre-wrap">${prompt}${status}${ansiToHtml(last)}</pre>`,
    file,
    520
  )
}
await terminal(
  'success: the seeds',
  ['deployment/web', '-n', 'shop', '--build-pod', 'job-name=build-42', '--build-namespace', 'ci'],
  0.05,
  'cli-seeds.png'
)
await terminal(
  'crash-loop',
  [
    'deployment/web',
    '-n',
    'shop',
    '--digest',
    'registry.example.com/shop/web@sha256:d1864540c44317880193e9178dd89a68cc2e559ed500d599de0471b86fb22412'
  ],
  1,
  'cli-crash-loop.png'
)
