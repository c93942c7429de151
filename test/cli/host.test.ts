/** The commands about the host and the install: --version, install-links (and its uninstall), doctor. */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, lstatSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {VERSION} from '../../src/version.js'
import {type Emulator, startEmulator} from '../emulator/harness.js'
import {runCli, runCliAsync} from '../cli.js'
import {ROOT} from '../helpers.js'

let emu: Emulator
before(async () => {
  emu = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
})
after(() => emu.close())

test('--version: version, commit, node, and the schema generations', () => {
  const r = runCli(['--version'])
  assert.equal(r.status, 0)
  const lines = r.stdout.trimEnd().split('\n')
  assert.match(lines[0], new RegExp(`^vrouter-utils ${VERSION.replaceAll('.', '\\.')} \\(commit ([0-9a-f]{12}|unknown)\\)$`))
  assert.match(lines[1], /^node v20\.\d+\.\d+ linux-x64$/)
  assert.match(lines[2], /^Sandesh schema: OpenSDN \/ Tungsten Fabric vr\.sandesh \(22 messages\); Windows-port 2019 generation with --schema windows$/)
})

test('install-links: a link per tool, names others have left alone, --uninstall removes only its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vrouter-utils-links-'))
  try {
    writeFileSync(join(dir, 'vif'), 'the stock vif\n')
    const made = runCli(['install-links', dir])
    assert.equal(made.status, 0)
    assert.match(made.stdout, /^linked in .*: dpdkinfo dropstats .*\bmpls\b.*\brt\b/m)
    assert.match(made.stdout, /^left alone \(not ours\): vif$/m)
    const target = readlinkSync(join(dir, 'mpls'))
    assert.equal(target, join(ROOT, 'bin', 'run.js'))
    const viaLink = spawnSync(join(dir, 'mpls'), ['--help'], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
    assert.equal(viaLink.stdout.split('\n')[0], 'Usage:  mpls --dump', 'the link runs as mpls')
    // A name the user re-pointed since is not ours any more.
    rmSync(join(dir, 'rt'))
    symlinkSync('/bin/true', join(dir, 'rt'))
    const removed = runCli(['install-links', dir, '--uninstall'])
    assert.equal(removed.status, 0)
    assert.match(removed.stdout, /^left alone \(not ours\): rt$/m)
    assert.ok(!existsSync(join(dir, 'mpls')) && existsSync(join(dir, 'vif')) && lstatSync(join(dir, 'rt')).isSymbolicLink())
    assert.ok(!existsSync(join(dir, '.vrouter-utils-links.json')))
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test('doctor: each check one line; a missing endpoint is a failure, exit 1', async () => {
  const good = await runCliAsync(['doctor', '--sock-dir', emu.dir, '--config', '/nonexistent'])
  const lines = good.stdout.trimEnd().split('\n')
  assert.match(lines[0], /^info platform: vtest \(--sock-dir .*\)$/)
  assert.equal(lines[1], 'info transport: socket (platform vtest)')
  assert.match(lines[2], /^ok {3}ksync socket: .*dpdk_netlink answers \(\d+ interfaces, \d+ flow entries\)$/)
  const missing = await runCliAsync(['doctor', '--sock-dir', join(emu.dir, 'nowhere'), '--config', '/nonexistent'])
  assert.equal(missing.status, 1)
  assert.match(missing.stdout, /^fail ksync socket: .*nowhere\/dpdk_netlink does not exist \(is the emulator running\?\)$/m)
  const kernel = await runCliAsync(['doctor', '--config', '/nonexistent'])
  assert.match(kernel.stdout, /^info platform: kernel \(no \/nonexistent; the stock tools assume the kernel module then\)$/m)
  assert.match(kernel.stdout, /^info transport: netlink \(platform kernel\)$/m)
  const forced = await runCliAsync(['doctor', '--sock-dir', emu.dir, '--config', '/nonexistent', '--transport', 'pipe'])
  assert.match(forced.stdout, /^info transport: pipe \(--transport\)$/m)
  assert.match(forced.stdout, /^fail ksync device: cannot open \\\\\.\\vrouterKsync: no ksync device there$/m)
})
