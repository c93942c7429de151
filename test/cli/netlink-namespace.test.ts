/**
 * The kernel vRouter's transport against a real kernel, in a network namespace of its own (`unshare -n`), so that
 * nothing of the host's network is seen or touched. Skipped, with the reason, where namespaces cannot be made; the
 * tests of a missing module are skipped where the vrouter module is loaded (its family is visible in every
 * namespace: `.netnsok` in TF linux/vr_genetlink.c).
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {test} from 'node:test'
import {runCli} from '../cli.js'
import {ROOT} from '../helpers.js'

const PREFIX = ['unshare', '-n']

function namespaceProblem(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces are Linux only'
  const probe = spawnSync(PREFIX[0], [...PREFIX.slice(1), 'true'], {encoding: 'utf8'})
  if (probe.error) return `unshare cannot run: ${probe.error.message}`
  if (probe.status !== 0) return `unshare -n is not permitted here: ${probe.stderr.trim()}`
  return undefined
}

const skip = namespaceProblem() ?? false
const env = {VROUTER_UTILS_CONFIG: '/nonexistent'}
const inNamespace = (...argv: string[]) => runCli(argv, {prefix: PREFIX, env})

interface Probe {
  readonly status: number | null
  readonly stderr: string
  readonly found?: {portId: number; nlctrl: number; vrouter: number | string; groups: {notify: string; unknown: string}}
}

function probe(): Probe {
  const r = spawnSync(PREFIX[0], [...PREFIX.slice(1), process.execPath, '--import', 'tsx', `${ROOT}test/netlink-probe.ts`], {cwd: ROOT, encoding: 'utf8'})
  return {status: r.status, stderr: r.stderr, found: r.status === 0 ? JSON.parse(r.stdout) : undefined}
}

const probed = skip ? undefined : probe()
const noModule = skip || (probed?.found && probed.found.vrouter !== 'absent' ? 'the vrouter kernel module is loaded on this host' : false)

test('the netlink transport round-trips a controller request: "nlctrl" is family 0x10', {skip}, () => {
  assert.equal(probed!.status, 0, probed!.stderr)
  assert.equal(probed!.found!.nlctrl, 0x10)
  assert.ok(probed!.found!.portId > 0, 'the kernel assigned a port id')
})

test('joining a multicast group (rt --monitor): the controller\'s "notify" group joins, a group nobody has is refused', {skip}, () => {
  assert.deepEqual(probed!.found!.groups, {notify: 'joined', unknown: 'EINVAL'})
})

test('rt --monitor on the kernel platform without the module: one line, exit 4', {skip: noModule}, () => {
  const r = inNamespace('rt', '--monitor', '--platform', 'kernel')
  assert.equal(r.stderr, 'rt: vRouter kernel module not loaded\n')
  assert.equal(r.stdout, '')
  assert.equal(r.status, 4)
})

test('a family the kernel lacks is told apart from other failures', {skip: noModule}, () => {
  assert.equal(probed!.found!.vrouter, 'absent')
})

test('a tool on the kernel platform without the module: one line, exit 4 (the stock tool: silent, exit 1)', {skip: noModule}, () => {
  const r = inNamespace('mpls', '--dump', '--platform', 'kernel')
  assert.equal(r.stderr, 'mpls: vRouter kernel module not loaded\n')
  assert.equal(r.status, 4)
  const legacy = inNamespace('mpls', '--dump', '--platform', 'kernel', '--legacy-exit')
  assert.equal(legacy.stderr, '')
  assert.equal(legacy.status, 1)
  const json = inNamespace('nh', '--list', '--json')
  assert.deepEqual(JSON.parse(json.stdout), {error: {kind: 'connection', message: 'vRouter kernel module not loaded', code: 'NO_SERVER'}})
  assert.equal(json.status, 4)
})

test('vif says it as the stock vif does when it cannot register', {skip: noModule}, () => {
  const r = inNamespace('vif', '--list')
  assert.equal(r.stdout, 'Error registering NetLink client: No such file or directory (2)\n')
  assert.equal(r.status, 4)
})

test('--verbose names the transport and why; --transport overrides the platform', {skip: noModule}, () => {
  const chosen = inNamespace('mpls', '--dump', '--verbose')
  assert.equal(chosen.stderr, 'mpls: transport: netlink (platform kernel)\nmpls: vRouter kernel module not loaded\n')
  const forced = inNamespace('mpls', '--dump', '--verbose', '--transport', 'netlink', '--sock-dir', '/nonexistent')
  assert.equal(forced.stderr, 'mpls: transport: netlink (--transport)\nmpls: vRouter kernel module not loaded\n')
})

test('doctor: the transport, and the missing module as a failure', {skip: noModule}, () => {
  const r = inNamespace('doctor', '--config', '/nonexistent')
  assert.equal(r.status, 1)
  assert.match(r.stdout, /^info transport: netlink \(platform kernel\)$/m)
  assert.match(r.stdout, /^fail ksync over generic netlink: vRouter kernel module not loaded \(no \/sys\/module\/vrouter\)$/m)
})
