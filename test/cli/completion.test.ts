/** Shell completion: the bash script the real command prints, run by bash, completes commands, topics and options. */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {runCli} from '../cli.js'

/** What completing the last word of `line` offers, as bash computes it with the script loaded. */
function complete(script: string, line: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'vrouter-utils-completion-'))
  const file = join(dir, 'completion.bash')
  writeFileSync(file, script)
  const quoted = line.map((w) => `'${w}'`).join(' ')
  const r = spawnSync('bash', ['-c', `source ${file}; COMP_WORDS=(${quoted}); COMP_CWORD=${line.length - 1}; _vrouter_utils_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], {encoding: 'utf8'})
  assert.equal(r.status, 0, r.stderr)
  return r.stdout.split('\n').filter(Boolean)
}

test('bash: command names, topics, the stock tools\' own options and ours, under the tools\' own names too', () => {
  const r = runCli(['completion', 'bash'])
  assert.equal(r.status, 0)
  assert.match(r.stdout, /\ncomplete -o default -F _vrouter_utils_complete vrouter-utils (?=.*\bvif\b)(?=.*\brt\b)(?=.*\bqosmap\b)/)
  assert.deepEqual(complete(r.stdout, ['vrouter-utils', 'vr']), ['vrfstats', 'vrftable', 'vrinfo', 'vrmemstats', 'vrouter'])
  assert.deepEqual(complete(r.stdout, ['vrouter-utils', 'emulator', 'st']), ['start'])
  assert.deepEqual(complete(r.stdout, ['vrouter-utils', 'emulator', 'start', '--scen']), ['--scenario'])
  assert.deepEqual(complete(r.stdout, ['/usr/local/bin/vif', '--get-']), ['--get-drop-stats'])
  assert.deepEqual(complete(r.stdout, ['vrouter-utils', 'rt', '--fam']), ['--family'])
  assert.ok(complete(r.stdout, ['mpls', '--']).includes('--json'), 'our additions too')
  assert.deepEqual(complete(r.stdout, ['vrouter-utils', 'vif', 'list']), [], 'only options are completed')
})

test('zsh: the same through bashcompinit; an unknown shell is a usage error', () => {
  const zsh = runCli(['completion', 'zsh'])
  assert.equal(zsh.status, 0)
  assert.match(zsh.stdout, /^# vrouter-utils completion for zsh.*\nautoload -U \+X compinit && compinit\nautoload -U \+X bashcompinit && bashcompinit\n_vrouter_utils_complete\(\) \{/)
  assert.equal(runCli(['completion', 'fish']).status, 2)
})
