/**
 * `vrouter-utils --version`: the suite's version, the commit it was built from (stamped into the single binary;
 * asked of git in a checkout), and the Sandesh schema generations it speaks.
 */
import {execFileSync} from 'node:child_process'
import {realpathSync} from 'node:fs'
import {dirname} from 'node:path'
import {CURRENT_MESSAGES} from '../lib/sandesh/messages.js'
import {VERSION} from '../version.js'

function commit(): string {
  const stamped = process.env.VROUTER_UTILS_COMMIT
  if (stamped) return stamped
  try {
    // In a checkout: the repository bin/run.js (or src/entry.ts) is in.
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {cwd: dirname(realpathSync(process.argv[1] ?? '.')), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()
  } catch {
    return 'unknown'
  }
}

export function versionText(): string {
  const messages = Object.keys(CURRENT_MESSAGES).length
  return [
    `vrouter-utils ${VERSION} (commit ${commit()}${process.env.VROUTER_UTILS_BUNDLED ? ', single binary' : ''})`,
    `node ${process.version} ${process.platform}-${process.arch}`,
    `Sandesh schema: OpenSDN / Tungsten Fabric vr.sandesh (${messages} messages); Windows-port 2019 generation with --schema windows`,
  ].join('\n')
}
