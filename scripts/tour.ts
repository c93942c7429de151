// `npm start`: starts the bundled emulator with the demo scenario in a temporary socket directory and runs a tour of
// the tools that exist so far against it, for real; each step prints the command as an operator would type it.
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const bin = 'vrouter-utils'
const dir = mkdtempSync(join(tmpdir(), 'vr-'))
const run = (argv: string[], input = '') => spawnSync(process.execPath, ['bin/run.js', ...argv], {input, encoding: 'utf8'})

interface Step {
  say: string
  argv: string[]
  input?: string
  /** Show only the first lines of long outputs. */
  lines?: number
}

const steps: Step[] = [
  {say: 'The stock-compatible vif: the same legend and blocks as the C tool, against the emulated node.', argv: ['vif', '--get', '3', '--get-drop-stats', '--sock-dir', dir]},
  {say: 'nh --get of an ECMP composite: the composite, then each member (as the stock tool).', argv: ['nh', '--get', '40', '--sock-dir', dir]},
  {say: 'rt --get: the longest-prefix match, masked to the matching route.', argv: ['rt', '--get', '10.1.2.77/32', '--vrf', '2', '--sock-dir', dir]},
  {say: 'rt --dump lists the leaves of the route trie, as a real vRouter does (the first lines).', argv: ['rt', '--dump', '2', '--sock-dir', dir], lines: 8},
  {say: 'flow reads the flow table straight from shared memory (the file the emulator keeps in the real layout): the flows of one VM.', argv: ['flow', '--match', '10.1.1.6', '--sock-dir', dir], lines: 24},
  {say: 'Filters the stock flow lacks, and a table for people: the three flows with the most bytes.', argv: ['flow', '-l', '--top', '3', '--table', '--sock-dir', dir]},
  {say: 'The bridge table of VRF 2, also from shared memory.', argv: ['rt', '--dump', '2', '--family', 'bridge', '--sock-dir', dir]},
  {say: 'The MPLS label map, as JSON for scripts.', argv: ['mpls', '--dump', '--sock-dir', dir, '--json'], lines: 10},
  {say: 'The VXLAN table and the mirror table, as the stock vxlan and mirror tools print them.', argv: ['vxlan', '--dump', '--sock-dir', dir]},
  {say: 'A mirror entry.', argv: ['mirror', '--dump', '--sock-dir', dir]},
  {say: 'Per-VRF packet counters (vrfstats, like the stock tool, has no --sock-dir: --socket names the endpoint).', argv: ['vrfstats', '--get', '2', '--socket', `${dir}/dpdk_netlink`]},
  {say: 'Forwarding classes: the DSCP, MPLS EXP, 802.1p and queue of each, as the stock qosmap prints them.', argv: ['qosmap', '--dump-fc', '--sock-dir', dir]},
  {say: 'A QoS map: the forwarding class of each DSCP code point.', argv: ['qosmap', '--get-qos', '1', '--sock-dir', dir]},
  {say: 'Drop counters: only the ones that are not zero, as the stock dropstats prints them.', argv: ['dropstats', '--sock-dir', dir]},
  {say: 'A missing label: the stock message, and exit status 3 (the forwarding plane said no; --legacy-exit gives 0).', argv: ['mpls', '--get', '99', '--sock-dir', dir]},
  {say: 'Any request, field by field: the ECMP next hop 40 as the forwarding plane returns it.', argv: ['ksync', 'request', 'vr_nexthop_req', '--set', 'nhr_id=40', '--nonzero', '--sock-dir', dir]},
  {say: 'Snapshot the running node as a scenario file (the first lines of it).', argv: ['emulator', 'save', '--sock-dir', dir, '--vrfs', '0-3'], lines: 12},
  {say: 'A request the stock `mpls --dump` sent, captured on a vRouter socket, as annotated hex.', argv: ['ksync', 'decode', '--annotate', '--file', 'test/fixtures/peer/mpls-dump/request-0.bin'], lines: 10},
  {
    say: 'Write a request as JSON and get its exact bytes (fields left out are zero, as the C writer does).',
    argv: ['ksync', 'encode'],
    input: JSON.stringify({objects: [{name: 'vr_mpls_req', fields: {h_op: 'GET', mr_label: 16}}]}),
  },
]

async function waitFor(path: string, emulator: ChildProcess): Promise<void> {
  for (let i = 0; i < 100 && !existsSync(path); i++) {
    if (emulator.exitCode !== null) throw new Error('the emulator did not start')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const emulator = spawn(process.execPath, ['bin/run.js', 'emulator', 'start', '--scenario', 'demo', '--sock-dir', dir, '--tick', '1'], {stdio: ['ignore', 'pipe', 'inherit']})
console.log(`$ ${bin} emulator start --scenario demo --sock-dir ${dir} --tick 1 &`)
emulator.stdout!.once('data', (chunk: Buffer) => process.stdout.write(chunk))
try {
  await waitFor(join(dir, 'dpdk_netlink'), emulator)
  for (const step of steps) {
    const shown = step.argv.map((a) => (/[\s[\]]/.test(a) ? `'${a}'` : a)).join(' ')
    console.log(`\n# ${step.say}`)
    console.log(`$ ${step.input ? `echo '${step.input}' | ` : ''}${bin} ${shown}`)
    const r = run(step.argv, step.input)
    const out = r.stdout.split('\n')
    process.stdout.write(step.lines && out.length > step.lines ? `${out.slice(0, step.lines).join('\n')}\n…\n` : r.stdout)
    process.stdout.write(r.stderr)
    if (r.status !== 0) console.log(`(exit status ${r.status})`)
  }
  console.log(`\nThe stock C tools reach this emulator too: vif --sock-dir ${dir} --list (while it runs); so does a link`)
  console.log(`named vif (or rt, nh, mpls, flow, vxlan, mirror, vrftable, vrfstats, vrmemstats, qosmap, dpdkinfo, vrinfo, dropstats) to ${bin}.`)
  console.log(`More: ${bin} --help, docs/emulator.md, docs/ksync.md.`)
} finally {
  emulator.kill('SIGTERM')
  await new Promise((resolve) => emulator.once('exit', resolve))
  rmSync(dir, {recursive: true, force: true})
}
