// Runs every test/**/*.test.ts with node's test runner through tsx. Node 20 does not discover .ts files, and
// `tsx --test` finds none and exits 0, so the files are listed here; finding none is a failure.
import {spawnSync} from 'node:child_process'
import {readdirSync} from 'node:fs'

const files = readdirSync('test', {recursive: true})
  .map(String)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/${f}`)
  .sort()
if (files.length === 0) {
  console.error('no test files found under test/')
  process.exit(1)
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...process.argv.slice(2), ...files], {stdio: 'inherit'})
process.exit(result.status ?? 1)
