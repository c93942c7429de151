/**
 * The tools over each transport, end to end: the DPDK socket, the Windows ksync device (its stand-in here: a Unix
 * datagram socket answering one message per read; under wine the real Windows build against the emulator's pipe,
 * where wine is installed), and how --verbose names the transport.
 */
import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {DeviceDouble} from '../device-double.js'
import {type Emulator, startEmulator} from '../emulator/harness.js'
import {runCliAsync} from '../cli.js'
import {ROOT} from '../helpers.js'

let emu: Emulator
let device: DeviceDouble
before(async () => {
  emu = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
  device = new DeviceDouble(emu.state, join(emu.dir, 'vrouterKsync'))
})
after(async () => {
  device.close()
  await emu.close()
})

test('the Windows device transport prints what the socket prints', async () => {
  for (const argv of [['mpls', '--dump'], ['vif', '--list'], ['nh', '--get', '1'], ['rt', '--dump', '0']]) {
    const viaSocket = await runCliAsync([...argv, '--sock-dir', emu.dir])
    // The same platform (vif prints some lines per platform); vif's own --transport is the stock option (the
    // interface's transport): the variable steers it.
    const viaDevice = await runCliAsync([...argv, '--platform', 'vtest', '--socket', device.path, ...(argv[0] === 'vif' ? [] : ['--transport', 'pipe'])], {env: {VROUTER_UTILS_TRANSPORT: argv[0] === 'vif' ? 'pipe' : undefined}})
    assert.equal(viaSocket.status, 0, viaSocket.stderr)
    assert.equal(viaDevice.stderr, '')
    assert.equal(viaDevice.stdout, viaSocket.stdout, argv.join(' '))
    assert.equal(viaDevice.status, 0)
  }
})

test('--verbose says which transport and why, then what it connected to', async () => {
  const socket = await runCliAsync(['mpls', '--dump', '--sock-dir', emu.dir, '--verbose'])
  assert.equal(socket.stderr, `mpls: transport: socket (platform vtest)\nmpls: connected: socket ${emu.path}, family 0x0, synchronous\n`)
  const pipe = await runCliAsync(['mpls', '--dump', '--transport', 'pipe', '--socket', device.path, '--verbose'])
  assert.equal(pipe.stderr, `mpls: transport: pipe (--transport)\nmpls: connected: device ${device.path}, family 1\n`)
  const missing = await runCliAsync(['mpls', '--dump', '--transport', 'pipe', '--socket', join(emu.dir, 'absent')])
  assert.equal(missing.stderr, `mpls: cannot open ${join(emu.dir, 'absent')}: no ksync device there\n`)
  assert.equal(missing.status, 4)
  const bad = await runCliAsync(['mpls', '--dump', '--transport', 'carrier-pigeon'])
  assert.equal(bad.stderr, "mpls: --transport takes netlink, socket, pipe, not 'carrier-pigeon'\n")
  assert.equal(bad.status, 2)
  const vif = await runCliAsync(['vif', '--list', '--sock-dir', emu.dir], {env: {VROUTER_UTILS_TRANSPORT: 'smoke-signals'}})
  assert.equal(vif.stderr, "vif: VROUTER_UTILS_TRANSPORT takes netlink, socket, pipe, not 'smoke-signals'\n")
})

const WINE = ['wine64', 'wine'].find((w) => spawnSync('sh', ['-c', `command -v ${w}`]).status === 0)
const WINDOWS_BUILD = `${ROOT}dist/vrouter-utils-win-x64.exe`

/** Why the wine test cannot run here, or false. */
function wineProblem(): string | false {
  if (!WINE) return 'wine is not installed (the Windows transport is tested against its stand-in above)'
  if (!existsSync(WINDOWS_BUILD)) return 'no Windows build (npm run build:binary)'
  return false
}

test('under wine: the Windows build against the emulator on a named pipe', {skip: wineProblem()}, async () => {
  const [wine, exe] = [WINE!, WINDOWS_BUILD]
  const pipe = '\\\\.\\pipe\\vrouter-utils-test'
  const server = spawn(wine, [exe, 'emulator', 'start', '--scenario', 'demo', '--socket', pipe], {stdio: 'pipe'})
  try {
    await new Promise<void>((resolve) => server.stdout.on('data', (b: Buffer) => b.toString().includes('serving ksync') && resolve()))
    const r = spawnSync(wine, [exe, 'mpls', '--dump', '--socket', pipe], {encoding: 'utf8'})
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /^MPLS Input Label Map/)
  } finally {
    server.kill()
  }
})
