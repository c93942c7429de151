// Runs every test/**/*.test.ts with node's test runner through tsx. Node 20 does not discover .ts files, and
// `tsx --test` finds none and exits 0, so the files are listed here; finding none is a failure.
import {spawnSync} from 'node:child_process'
import {readdirSync} from 'node:fs'

// Test files given on the command line run alone (CI runs the e2e files again against the single binary).
const chosen = process.argv.slice(2).filter((a) => a.endsWith('.test.ts'))
const files = chosen.length > 0 ? chosen : readdirSync('test', {recursive: true})
  .map(String)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/${f}`)
  .sort()
if (files.length === 0) {
  console.error('no test files found under test/')
  process.exit(1)
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...process.argv.slice(2).filter((a) => !a.endsWith('.test.ts')), ...files], {stdio: 'inherit'})
process.exit(result.status ?? 1)
