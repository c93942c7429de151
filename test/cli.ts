/** Running the real CLI (bin/run.js, as built by `npm test`) in a child process. */
import {spawnSync} from 'node:child_process'
import {ROOT} from './helpers.js'

export interface CliResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  readonly stdoutBytes: Buffer
}

export function runCli(argv: readonly string[], options: {input?: string | Uint8Array; env?: Record<string, string>} = {}): CliResult {
  const r = spawnSync(process.execPath, [`${ROOT}bin/run.js`, ...argv], {
    input: options.input ?? '',
    env: {...process.env, NO_COLOR: '1', ...options.env},
    cwd: ROOT,
  })
  return {status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), stdoutBytes: r.stdout}
}
