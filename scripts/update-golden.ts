// Rewrites the golden outputs of test/golden/cli/cases.json from the current CLI. Review the diff before committing.
import {writeFileSync} from 'node:fs'
import {runCli} from '../test/cli.js'
import cases from '../test/golden/cli/cases.json' with {type: 'json'}
import {writeFixtures} from '../test/lib/pkt0/fixtures.js'

for (const {name, argv} of cases) {
  const r = runCli(argv)
  if (r.status !== 0) throw new Error(`${name}: exit ${r.status}: ${r.stderr}`)
  writeFileSync(`test/golden/cli/${name}.out`, r.stdoutBytes)
  console.log(`wrote test/golden/cli/${name}.out`)
}

writeFixtures()
console.log('wrote test/golden/pkt0/*.hex')
