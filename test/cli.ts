/** Running the real CLI (bin/run.js, as built by `npm test`) in a child process. */
import {type ChildProcessWithoutNullStreams, spawn, spawnSync} from 'node:child_process'
import {ROOT} from './helpers.js'

export interface CliResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  readonly stdoutBytes: Buffer
}

/**
 * What runs the CLI: the single binary when VROUTER_UTILS_BIN names one (CI runs the e2e tests against it), else
 * node with bin/run.js.
 */
const BINARY = process.env.VROUTER_UTILS_BIN
export const command = (argv: readonly string[]): [string, string[]] => (BINARY ? [BINARY, [...argv]] : [process.execPath, [`${ROOT}bin/run.js`, ...argv]])

/** The child's environment: ours, without colour unless the test says otherwise (undefined removes a variable). */
function childEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', ...overrides}
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key]
  return env
}

/** Runs the CLI; `prefix` is a command that runs it (`['unshare', '-n']`). */
export function runCli(argv: readonly string[], options: {input?: string | Uint8Array; env?: Record<string, string | undefined>; prefix?: readonly string[]} = {}): CliResult {
  const [cli, cliArgs] = command(argv)
  const [file, args] = options.prefix?.length ? [options.prefix[0], [...options.prefix.slice(1), cli, ...cliArgs]] : [cli, cliArgs]
  const r = spawnSync(file, args, {
    input: options.input ?? '',
    env: childEnv(options.env),
    cwd: ROOT,
  })
  return {status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), stdoutBytes: r.stdout}
}

/** The same, without blocking this process (needed when this process also serves the CLI's requests). */
export function runCliAsync(argv: readonly string[], options: {input?: string; env?: Record<string, string | undefined>} = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const [file, args] = command(argv)
    const child = spawn(file, args, {env: childEnv(options.env), cwd: ROOT})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    // A command that never reads its input may end before the input is written: that EPIPE is not the test's failure.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error
    })
    child.stdin.end(options.input ?? '')
    child.on('close', (status) => {
      const stdoutBytes = Buffer.concat(out)
      resolve({status, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes})
    })
  })
}

/** A long-running CLI command: resolves once its stderr says it is ready; `done` gives its result. */
export function startCli(argv: readonly string[], ready: RegExp): Promise<{child: ChildProcessWithoutNullStreams; done: Promise<CliResult>}> {
  const [file, args] = command(argv)
  const child = spawn(file, args, {env: childEnv(), cwd: ROOT})
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (b: Buffer) => out.push(b))
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (status) => {
      const stdoutBytes = Buffer.concat(out)
      resolve({status, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes})
    }),
  )
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (b: Buffer) => {
      err.push(b)
      if (ready.test(Buffer.concat(err).toString('utf8'))) resolve({child, done})
    })
    void done.then((r) => reject(new Error(`${argv.join(' ')} ended before it was ready: ${r.stderr}`)))
  })
}
