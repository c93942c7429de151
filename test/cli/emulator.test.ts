/** The emulator commands as an operator runs them: a real emulator process, real clients on its socket. */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, test} from 'node:test'
import {runCli} from '../cli.js'
import {ROOT} from '../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'vr-cli-'))
after(() => rmSync(dir, {recursive: true, force: true}))

test('a scenario that is not valid: one located line, exit 1, nothing served', () => {
  const file = join(dir, 'bad.yaml')
  writeFileSync(file, 'interfaces:\n  - idx: 1\n    nmae: eth0\n')
  const validate = runCli(['emulator', 'validate', file])
  assert.equal(validate.status, 1)
  assert.equal(validate.stderr, `emulator validate: ${file}:3:5: interfaces[0].nmae: unknown key "nmae"\n`)
  const start = runCli(['emulator', 'start', '--scenario', file, '--sock-dir', dir])
  assert.equal(start.status, 1)
  assert.match(start.stderr, /^emulator start: .*bad\.yaml:3:5: /)
  assert.equal(existsSync(join(dir, 'dpdk_netlink')), false)
})

test('start the demo, query it, save it, validate the saved file, stop it', async () => {
  const emulator = spawn(process.execPath, [`${ROOT}bin/run.js`, 'emulator', 'start', '--scenario', 'demo', '--sock-dir', dir, '-v'], {cwd: ROOT})
  let log = ''
  emulator.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const socket = join(dir, 'dpdk_netlink')
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((resolve) => setTimeout(resolve, 100))
  try {
    const nh = runCli(['ksync', 'request', 'vr_nexthop_req', '--set', 'nhr_id=40', '--sock-dir', dir, '--json'])
    assert.equal(nh.status, 0, nh.stderr)
    const [object] = JSON.parse(nh.stdout)
    assert.deepEqual(object.fields.nhr_nh_list, [21, 10])
    const missing = runCli(['ksync', 'request', 'vr_mpls_req', '--set', 'mr_label=99', '--sock-dir', dir])
    assert.deepEqual([missing.status, missing.stderr], [3, 'ksync request: vRouter(Response): No such file or directory (2)\n'])
    const saved = join(dir, 'saved.yaml')
    assert.equal(runCli(['emulator', 'save', '--sock-dir', dir, '--vrfs', '0-3', '-o', saved]).status, 0)
    assert.match(readFileSync(saved, 'utf8'), /name: tapa1b2c3d4-e5/)
    const validate = runCli(['emulator', 'validate', saved])
    assert.equal(validate.stdout, `${saved}: valid; 7 interface(s), 11 next hop(s), 4 label(s), 2 VNI(s), 3 bridge entries, 12 flow(s)\n`)
  } finally {
    emulator.kill('SIGTERM')
  }
  const status = await new Promise((resolve) => emulator.once('exit', resolve))
  assert.equal(status, 0)
  assert.equal(existsSync(socket), false, 'the socket is removed on exit')
  assert.match(log, /^emulator: serving ksync on .*dpdk_netlink \(dpdk framing\); 7 interface\(s\)/)
  assert.match(log, /session \d+: vr_nexthop_req GET → 1 message\(s\)/)
  assert.match(log, /emulator: stopped\n$/)
})

test('nothing to connect to: exit 4 and one line', () => {
  const r = runCli(['ksync', 'request', 'vr_mpls_req', '--sock-dir', join(dir, 'nowhere')])
  assert.equal(r.status, 4)
  assert.match(r.stderr, /^ksync request: cannot connect to .*nowhere\/dpdk_netlink: No such file or directory\n$/)
})
