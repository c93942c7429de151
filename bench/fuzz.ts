/**
 * The long fuzz runs: the decoders' and the live emulator's fuzz tests at FUZZ_SCALE times the bounded run of
 * `npm test` (default 50×). A failing input is saved under test/fixtures/fuzz and replayed by every later test run.
 * Run: npx tsx bench/fuzz.ts [scale]
 */
import {spawnSync} from 'node:child_process'

const scale = process.argv[2] ?? '50'
const files = ['test/lib/sandesh/property.test.ts', 'test/lib/ksync/frame.test.ts', 'test/emulator/fuzz.test.ts']
const started = performance.now()
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], {stdio: 'inherit', env: {...process.env, FUZZ_SCALE: scale}})
console.log(`fuzz ×${scale}: ${r.status === 0 ? 'no failure' : 'FAILED'} in ${((performance.now() - started) / 1000).toFixed(0)} s`)
process.exit(r.status ?? 1)
