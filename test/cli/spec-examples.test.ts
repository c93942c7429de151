/**
 * The literal example outputs of the specification (cli.md), printed by the real commands (child processes, real
 * socket) against the emulator loaded with the objects each example shows (the scenarios next to the fixtures, see
 * test/fixtures/spec-examples/README.md); stdout compared byte for byte with the same fixtures the renderer tests
 * use (test/lib/render/spec-examples.test.ts).
 */
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {interfaceName} from '../../src/lib/transport/ifname.js'
import {type Emulator, startEmulator} from '../emulator/harness.js'
import {type CliResult, runCliAsync} from '../cli.js'
import {ROOT} from '../helpers.js'

const DIR = `${ROOT}test/fixtures/spec-examples`
const example = (name: string) => readFileSync(`${DIR}/${name}`, 'utf8')

/** Runs `work` against an emulator holding the scenario `name`; `run` runs a tool on its socket. */
async function withScenario(name: string, work: (run: (...argv: string[]) => Promise<CliResult>, emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator({state: loadScenario(readFileSync(`${DIR}/${name}`, 'utf8'), name)})
  try {
    await work((...argv) => runCliAsync([...argv, '--socket', emu.path]), emu)
  } finally {
    await emu.close()
  }
}

/** stdout and exit status of a run. */
const printed = (r: CliResult) => [r.stdout, r.status]

test('vif, kernel (§2.3-2.5, §2.7): the list, the clear messages, a bad --get, the usage', async () => {
  // The host running the test has no interfaces with these indexes: their names come from the forwarding plane
  // (--fix ifname-remote), as the example's host resolves them.
  assert.deepEqual([interfaceName(900002), interfaceName(900014)], [undefined, undefined], 'OS indexes this host does not have')
  await withScenario('vif-kernel.yaml', async (run) => {
    assert.deepEqual(printed(await run('vif', '--list', '--platform', 'kernel', '--fix', 'ifname-remote')), [example('vif-list-kernel.txt'), 0])
    assert.deepEqual(printed(await run('vif', '--clear', '--platform', 'kernel')), [example('vif-clear-all.txt'), 0])
    assert.deepEqual(printed(await run('vif', '--clear', '--core', '1', '--platform', 'kernel')), [example('vif-clear-core.txt'), 0])
    assert.deepEqual(printed(await run('vif', '--clear', '--id', '3', '--platform', 'kernel')), [example('vif-clear-one.txt'), 0])
    assert.deepEqual(printed(await run('vif', '--get', '3x', '--legacy-exit')), [example('vif-invalid-get.txt'), 0])
    assert.deepEqual(printed(await run('vif', '--help')), [example('vif-usage.txt'), 0])
  })
  const nowhere = await runCliAsync(['vif', '--list', '--socket', `${DIR}/no-such-socket`, '--legacy-exit'])
  assert.deepEqual(printed(nowhere), [example('vif-no-connection.txt'), 244])
})

test('vif, DPDK (§2.4): the legend and the block of a PCI fabric interface', async () => {
  await withScenario('vif-dpdk.yaml', async (run) => {
    assert.deepEqual(printed(await run('vif', '--get', '0', '--platform', 'dpdk')), [example('vif-legend.txt') + example('vif-block-dpdk.txt'), 0])
  })
})

test('rt (§3.3, §3.4): the dump excerpt and the IPv6 lines (corrected bridge indexes), a masked --get, the usage', async () => {
  await withScenario('rt.yaml', async (run) => {
    // An excerpt: the header and the first leaf, then four consecutive leaves of the 10.1.1.x bucket.
    const inet = await run('rt', '--dump', '2', '--platform', 'dpdk')
    assert.equal(inet.status, 0)
    const excerpt = example('rt-dump-excerpt.corrected.txt').split('\n')
    assert.equal(inet.stdout.split('\n').slice(0, 4).join('\n'), excerpt.slice(0, 4).join('\n'))
    assert.ok(inet.stdout.includes(`\n${excerpt.slice(4).join('\n')}`), 'the 10.1.1.1-4 leaves in a row')
    const inet6 = (await run('rt', '--dump', '2', '--family', 'inet6', '--platform', 'dpdk')).stdout.split('\n')
    for (const line of example('rt-inet6-lines.corrected.txt').split('\n').filter(Boolean)) assert.ok(inet6.includes(line), line)
    const get = (await run('rt', '--get', '10.1.1.77/32', '--vrf', '2', '--platform', 'dpdk')).stdout.split('\n')
    assert.equal(get[0], 'Match 10.1.1.77/32 in vRouter inet4 table 0/2/unicast')
    assert.match(get[5], /^10\.1\.1\.0\/24 /)
    assert.deepEqual(printed(await run('rt', '--help', '--legacy-exit')), [example('rt-usage.txt'), 1])
  })
})

test('nh (§4.3, §4.4): the six next hops of the list, an absent one, the usages', async () => {
  await withScenario('nh.yaml', async (run) => {
    // Composite 40 keeps holding tunnel 19 once it is deleted, as in the example, which does not list 19.
    assert.equal((await run('nh', '--delete', '19')).status, 0)
    assert.deepEqual(printed(await run('nh', '--list')), [example('nh-list.txt'), 0])
    assert.deepEqual(printed(await run('nh', '--get', '99999', '--legacy-exit')), [example('nh-get-absent.txt'), 0])
    assert.deepEqual(printed(await run('nh', '--help', '--legacy-exit')), [example('nh-usage.txt'), 234])
    assert.ok((await run('nh', '--cmd')).stdout.startsWith('Usage: [--create <nhid> create nexthop\n'))
  })
})

test('mpls, dropstats, vrfstats, vrmemstats, mirror, vxlan, vrftable (§5, §7, §9-13)', async () => {
  await withScenario('tables.yaml', async (run) => {
    assert.deepEqual(printed(await run('mpls', '--dump')), [example('mpls-dump.corrected.txt'), 0])
    assert.deepEqual(printed(await run('mpls', '--get', '99', '--legacy-exit')), [example('mpls-get-absent.txt'), 0])
    assert.deepEqual(printed(await run('mpls', '--help', '--legacy-exit')), [example('mpls-usage.txt'), 1])
    assert.deepEqual(printed(await run('mpls', '--cmd', '--legacy-exit')), [example('mpls-usage-cmd.txt'), 1])

    assert.deepEqual(printed(await run('dropstats', '--platform', 'kernel')), [example('dropstats.txt'), 0])
    assert.deepEqual(printed(await run('dropstats', '--clear')), [example('dropstats-clear.txt'), 0])

    assert.deepEqual(printed(await run('vrfstats', '--get', '2')), [example('vrfstats.txt'), 0])

    const mem = (await run('vrmemstats')).stdout.split('\n')
    assert.deepEqual(mem.slice(0, 2), ['vRouter memory usage statistics', ''])
    assert.match(mem[2], /^Alloced \d+ Freed \d+$/)
    assert.deepEqual([mem[3], mem[4], mem[5], mem.at(-2)], ['Outstanding memory/object:', '', 'Assembler Table                 0', 'Fatflow v6 exclude list object  0'])
    assert.deepEqual(printed(await run('vrmemstats', '--bogus', '--legacy-exit')), [example('vrmemstats-usage.txt'), 234])

    // No entries: the headers alone.
    assert.deepEqual(printed(await run('mirror', '--dump')), [example('mirror-header.txt'), 0])
    assert.deepEqual(printed(await run('vxlan', '--dump')), [example('vxlan-header.txt'), 0])
    assert.deepEqual(printed(await run('vrftable', '--dump')), [example('vrftable-header.txt'), 0])
  })
  // The header comes before connecting (§5.3).
  assert.equal((await runCliAsync(['mpls', '--dump', '--socket', `${DIR}/no-such-socket`])).stdout, example('mpls-header.txt'))
})

test('dropstats --help with offloads enabled in the agent config (§7.3)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-conf-'))
  try {
    writeFileSync(join(dir, 'agent.conf'), '[DEFAULT]\nplatform = kernel\noffload = enabled\n')
    const help = await runCliAsync(['dropstats', '--help', '--legacy-exit'], {env: {VROUTER_UTILS_CONFIG: join(dir, 'agent.conf')}})
    assert.deepEqual(printed(help), [example('dropstats-usage.txt'), 234])
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test('vrouter --info, kernel (§8.2): build line and parameters; the usage (§8.3)', async () => {
  await withScenario('vrouter.yaml', async (run) => {
    const info = await run('vrouter', '--info', '--platform', 'kernel')
    // The emulator has no flow table yet: its used-flow counts are 0 where the example's vRouter had flows.
    const expected = (example('vrouter-build-line.txt') + example('vrouter-info.txt')).replace(/^( {4}Used (Over )?Flow entries +)\d+$/gm, '$10')
    assert.notEqual(expected, example('vrouter-build-line.txt') + example('vrouter-info.txt'))
    assert.deepEqual(printed(info), [expected, 0])
    assert.deepEqual(printed(await run('vrouter', '--help', '--legacy-exit')), [example('vrouter-usage.txt'), 1])
  })
})
