import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {test} from 'node:test'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** The npm packages a run of bin/run.js loads (reported by a preloaded module). */
function packagesLoaded(argv: string[]): string[] {
  const run = spawnSync(process.execPath, ['--import', `${ROOT}test/fixtures/report-packages.mjs`, `${ROOT}bin/run.js`, ...argv], {cwd: ROOT, encoding: 'utf8'})
  const line = run.stderr.split('\n').find((l) => l.startsWith('loaded packages:'))
  assert.ok(line, run.stderr)
  return line.slice('loaded packages:'.length).trim().split(' ').filter(Boolean)
}

test('a stock tool starts without oclif and without the emulator\'s libraries', () => {
  const packages = packagesLoaded(['vif', '--help'])
  for (const heavy of ['@oclif/core', '@oclif/plugin-help', 'yaml', 'ajv']) assert.ok(!packages.includes(heavy), `${heavy} loaded: ${packages.join(' ')}`)
})

test('the other commands still run through oclif', () => {
  assert.ok(packagesLoaded(['help', 'vif']).includes('@oclif/core'))
})
