/**
 * Start-up, measured side by side in one run (rounds alternate between the contenders; each reports its median and
 * its best): `node -e 0`, the single binary's `vif --help`, the unbundled `node bin/run.js vif --help`, and a stock C
 * `vif` if one is on PATH. Target (issue 9): the binary ≤ 2× `node -e 0`. Run after `npm run build:binary`:
 * npx tsx bench/startup.ts [--rounds N]. NODE_EXTRA_CA_CERTS, which this machine sets and which costs every Node
 * start ~45 ms, is measured both ways.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, realpathSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {printTable} from './measure.js'

const {values} = parseArgs({options: {rounds: {type: 'string', default: '30'}}})
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BINARY = `${ROOT}dist/vrouter-utils-linux-x64`
if (!existsSync(BINARY)) {
  console.error('bench/startup: no dist/vrouter-utils-linux-x64 (npm run build:binary makes it)')
  process.exit(1)
}

/** A stock vif on PATH that is not one of ours. */
function stockVif(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v vif'], {encoding: 'utf8'})
  const path = r.stdout.trim()
  if (r.status !== 0 || path === '') return undefined
  const real = realpathSync(path)
  return real === BINARY || real.endsWith('/bin/run.js') ? undefined : path
}

const contenders: [string, string, string[]][] = [
  ['node -e 0', process.execPath, ['-e', '0']],
  ['binary: vif --help', BINARY, ['vif', '--help']],
  ['node bin/run.js vif --help (unbundled)', process.execPath, [`${ROOT}bin/run.js`, 'vif', '--help']],
]
const stock = stockVif()
if (stock) contenders.push(['stock C vif --help', stock, ['--help']])

function measure(env: NodeJS.ProcessEnv): Map<string, number[]> {
  const times = new Map(contenders.map(([name]) => [name, [] as number[]]))
  for (let round = 0; round < Number(values.rounds) + 2; round++) {
    for (const [name, file, argv] of contenders) {
      const start = performance.now()
      spawnSync(file, argv, {stdio: 'ignore', env})
      // The first two rounds warm the page cache.
      if (round >= 2) times.get(name)!.push(performance.now() - start)
    }
  }
  return times
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const withoutCerts = {...process.env}
delete withoutCerts.NODE_EXTRA_CA_CERTS
for (const [label, env] of [['without NODE_EXTRA_CA_CERTS (as on most hosts)', withoutCerts], ['with this environment as it is', process.env]] as const) {
  const times = measure(env)
  const node = median(times.get('node -e 0')!)
  console.log(`\nstart-up, ${label} (node ${process.version}, ${values.rounds} rounds)\n`)
  printTable(
    ['command', 'median', 'best', 'vs node -e 0'],
    [...times].map(([name, xs]) => [name, `${median(xs).toFixed(1)} ms`, `${Math.min(...xs).toFixed(1)} ms`, `${(median(xs) / node).toFixed(2)}×`]),
  )
  const ratio = median(times.get('binary: vif --help')!) / node
  console.log(`\nbinary vs node -e 0: ${ratio.toFixed(2)}× (target ≤ 2×: ${ratio <= 2 ? 'met' : 'not met'})`)
}
