/**
 * The executable examples of the tool pages (docs/tools/*.md). Every ```console block of a page holds commands, each
 * a line `$ vrouter-utils …` (environment assignments may come first: `TZ=UTC vrouter-utils …`) followed by its exact
 * output (stdout; nothing may reach stderr, and a command that does not end with status 0 must show it, e.g.
 * `; echo "exit $?"`). A page's commands run in order, writes included, through /bin/sh, against a fresh emulator
 * loaded with the demo scenario, its datapath and wire included (for `emulator inject`); `/tmp/vr` in a command
 * stands for the emulator's socket directory. Shared by test/docs/tool-docs.test.ts (compares) and
 * scripts/update-tool-docs.ts (rewrites the outputs in place).
 */
import {spawn} from 'node:child_process'
import {chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {startEmulator, startTraffic} from '../emulator/harness.js'
import {ROOT} from '../helpers.js'

export const PAGES = `${ROOT}docs/tools`
/** The socket directory the pages name: the one of `vrouter-utils emulator start --scenario demo --sock-dir /tmp/vr`. */
export const SOCK_DIR = '/tmp/vr'
const SOCK_DIR_WORD = /\/tmp\/vr(?![\w.-])/g
const FENCE = '```console'
const PROMPT = '$ '

export interface Example {
  readonly command: string
  readonly output: string
  /** 1-based line of the command in its page. */
  readonly line: number
}

export interface Page {
  readonly lines: readonly string[]
  /** The ```console blocks: their content's line range [first, end) and examples. */
  readonly blocks: readonly {readonly first: number; readonly end: number; readonly examples: readonly Example[]}[]
}

/** The pages with examples, by file name: every page of docs/tools, its index (README.md) included. */
export function examplePages(): string[] {
  return readdirSync(PAGES)
    .filter((f) => f.endsWith('.md'))
    .sort()
}

export function parsePage(text: string, name: string): Page {
  const lines = text.split('\n')
  const blocks: Page['blocks'][number][] = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== FENCE) continue
    const first = i + 1
    const examples: {command: string; output: string; line: number}[] = []
    for (i = first; lines[i] !== '```'; i++) {
      if (i >= lines.length) throw new Error(`${name}:${first}: a console block without its closing fence`)
      if (lines[i].startsWith(PROMPT)) examples.push({command: lines[i].slice(PROMPT.length), output: '', line: i + 1})
      else if (examples.length === 0) throw new Error(`${name}:${i + 1}: a console block must begin with a command ($ …)`)
      else examples.at(-1)!.output += `${lines[i]}\n`
    }
    for (const e of examples) {
      if (!/^(\w+=\S* )*vrouter-utils /.test(e.command)) throw new Error(`${name}:${e.line}: an example runs vrouter-utils, not '${e.command}'`)
    }
    blocks.push({first, end: i, examples})
  }
  return {lines, blocks}
}

/** Why an output cannot be written into a console block as it is, if it cannot. */
export function unwritable(output: string): string | undefined {
  if (output !== '' && !output.endsWith('\n')) return 'the output does not end with a newline'
  const bad = output.split('\n').find((l) => l.startsWith(PROMPT) || l.startsWith('```'))
  return bad === undefined ? undefined : `an output line reads like a command or a fence: '${bad}'`
}

/** The page with every example's output replaced by `outputs` (in page order). */
export function rewritePage(page: Page, outputs: readonly string[]): string {
  const lines = [...page.lines]
  let next = outputs.length
  // From the last block up, so that earlier line numbers stay valid.
  for (const block of [...page.blocks].reverse()) {
    next -= block.examples.length
    const content = block.examples.flatMap((e, k) => [`${PROMPT}${e.command}`, ...outputs[next + k].split('\n').slice(0, -1)])
    lines.splice(block.first, block.end - block.first, ...content)
  }
  return lines.join('\n')
}

export interface Ran {
  readonly example: Example
  readonly status: number | null
  /** With the emulator's directory written back as /tmp/vr. */
  readonly stdout: string
  readonly stderr: string
}

/** Runs a page's examples in order against a fresh demo emulator. */
export async function runPage(page: Page): Promise<Ran[]> {
  const emu = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
  // Its datapath too, for `emulator inject`.
  const traffic = await startTraffic(emu)
  const ran: Ran[] = []
  try {
    for (const example of page.blocks.flatMap((b) => b.examples)) {
      const r = await shell(example.command.replace(SOCK_DIR_WORD, emu.dir))
      ran.push({example, status: r.status, stdout: r.stdout.replaceAll(emu.dir, SOCK_DIR), stderr: r.stderr.replaceAll(emu.dir, SOCK_DIR)})
    }
  } finally {
    await traffic.close()
    await emu.close()
  }
  return ran
}

/** Calls `each` on every item, at most `limit` at a time. */
export async function inParallel<T>(items: readonly T[], limit: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await each(items[next++])
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
}

let binDir: string | undefined

/** A directory holding `vrouter-utils`, the CLI of this checkout (bin/run.js, as built). */
function vrouterUtilsOnPath(): string {
  if (binDir) return binDir
  const dir = mkdtempSync(join(tmpdir(), 'vrouter-utils-bin-'))
  writeFileSync(join(dir, 'vrouter-utils'), `#!/bin/sh\nexec '${process.execPath}' '${ROOT}bin/run.js' "$@"\n`)
  chmodSync(join(dir, 'vrouter-utils'), 0o755)
  process.on('exit', () => rmSync(dir, {recursive: true, force: true}))
  binDir = dir
  return dir
}

function shell(command: string): Promise<{status: number | null; stdout: string; stderr: string}> {
  const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', PATH: `${vrouterUtilsOnPath()}${delimiter}${process.env.PATH ?? ''}`}
  delete env.VROUTER_UTILS_PLATFORM
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', reject)
    child.on('close', (status) => resolve({status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')}))
  })
}
