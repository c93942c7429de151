/**
 * The single binary (issue 9), when VROUTER_UTILS_BIN names it (CI builds it and sets it): the emulator started from
 * the binary, the tools run through a link named after them, the same bytes as from the sources; and the Windows
 * executable's smoke test under wine where wine is installed.
 */
import assert from 'node:assert/strict'
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {after, before, test} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'
import {ROOT} from '../helpers.js'

const BINARY = process.env.VROUTER_UTILS_BIN
const WINDOWS = join(ROOT, 'dist', 'vrouter-utils-win-x64.exe')
const skipLinux = BINARY ? false : 'VROUTER_UTILS_BIN is not set (CI builds the binary with npm run build:binary and sets it)'
const env = {...process.env, NO_COLOR: '1'}

let dir: string
let emulator: ChildProcess | undefined
before(async () => {
  if (!BINARY) return
  dir = mkdtempSync(join(tmpdir(), 'vrouter-utils-binary-'))
  emulator = spawn(BINARY, ['emulator', 'start', '--scenario', 'demo', '--sock-dir', dir], {stdio: 'ignore', env})
  for (let i = 0; i < 100 && !existsSync(join(dir, 'dpdk_netlink')); i++) await sleep(50)
})
after(() => {
  emulator?.kill()
  if (dir) rmSync(dir, {recursive: true, force: true})
})

const run = (file: string, argv: string[]) => spawnSync(file, argv, {encoding: 'utf8', env})

test('the emulator and the tools from the binary: as a link named vif it is vif, byte for byte the sources', {skip: skipLinux}, () => {
  const links = mkdtempSync(join(tmpdir(), 'vrouter-utils-links-'))
  try {
    symlinkSync(BINARY!, join(links, 'vif'))
    symlinkSync(BINARY!, join(links, 'rt.exe'))
    const vif = run(join(links, 'vif'), ['--list', '--sock-dir', dir])
    const sources = run(process.execPath, [join(ROOT, 'bin', 'run.js'), 'vif', '--list', '--sock-dir', dir])
    assert.equal(vif.status, 0, vif.stderr)
    assert.match(vif.stdout, /^Vrouter Interface Table\n/)
    assert.equal(vif.stdout, sources.stdout)
    const rt = run(join(links, 'rt.exe'), ['--get', '10.1.2.77/32', '--vrf', '2', '--sock-dir', dir])
    assert.ok(rt.stdout.endsWith('\n10.1.2.0/24             0            L         38             10        -\n'), rt.stdout)
    // The flow table through the addon the binary carries (or pread), as from the sources.
    const flows = run(BINARY!, ['flow', '-l', '--sock-dir', dir])
    assert.equal(flows.status, 0, flows.stderr)
    assert.equal(flows.stdout, run(process.execPath, [join(ROOT, 'bin', 'run.js'), 'flow', '-l', '--sock-dir', dir]).stdout)
    const first = run(BINARY!, ['mpls', '--dump', '--json', '--sock-dir', dir])
    assert.deepEqual(JSON.parse(first.stdout)[0], {label: 16, nexthop: 21}, 'the first argument names the tool too')
  } finally {
    rmSync(links, {recursive: true, force: true})
  }
})

test('alone: a copy outside the checkout, no node_modules, writing nowhere but its temporary directory', {skip: skipLinux}, () => {
  const place = mkdtempSync(join(tmpdir(), 'vrouter-utils-alone-'))
  try {
    const copy = join(place, 'bin', 'vrouter-utils')
    mkdirSync(dirname(copy))
    copyFileSync(BINARY!, copy)
    const home = join(place, 'home')
    const temp = join(place, 'tmp')
    mkdirSync(home)
    mkdirSync(temp)
    const alone = {NO_COLOR: '1', PATH: '/usr/bin:/bin', HOME: home, TMPDIR: temp}
    const r = spawnSync(copy, ['flow', '-l', '--sock-dir', dir, '--verbose'], {encoding: 'utf8', env: alone, cwd: '/'})
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /^Flow table\(size \d+, entries \d+\)\n/)
    // --verbose says how it connected, and nothing about the addon: the addon, from the binary, maps the table.
    assert.equal(r.stderr, `flow: transport: socket (platform vtest)\nflow: connected: socket ${join(dir, 'dpdk_netlink')}, family 0x0, synchronous\n`)
    assert.deepEqual(readdirSync(home), [], 'nothing written in HOME')
    assert.ok(readdirSync(temp).every((f) => /^vrouter-utils-[0-9a-f]{16}\.node$/.test(f)), 'only the addon in the temporary directory')
    // Where the addon cannot be written out, the table is read with pread, with a notice under --verbose.
    const fallback = spawnSync(copy, ['flow', '-l', '--sock-dir', dir, '--verbose'], {encoding: 'utf8', env: {...alone, TMPDIR: join(place, 'nowhere')}, cwd: '/'})
    assert.equal(fallback.stdout, r.stdout)
    assert.match(fallback.stderr, /\nflow: the mmap addon is not available \(.*\): the table is read with pread\n$/)
  } finally {
    rmSync(place, {recursive: true, force: true})
  }
})

test('--version says it is the single binary and names its commit', {skip: skipLinux}, () => {
  const r = run(BINARY!, ['--version'])
  assert.match(r.stdout, /^vrouter-utils \d+\.\d+\.\d+ \(commit [0-9a-f]{12}, single binary\)\n/)
})

const wine = ['wine64', 'wine'].find((w) => spawnSync('sh', ['-c', `command -v ${w}`]).status === 0)
const skipWindows = !existsSync(WINDOWS) ? 'no Windows binary (npm run build:binary makes dist/vrouter-utils-win-x64.exe)' : !wine ? 'wine is not installed here' : false

test('the Windows binary under wine: --version and vif --help', {skip: skipWindows}, () => {
  // Under wine, piped stdout gives EBADF: the output goes to a file.
  const out = join(mkdtempSync(join(tmpdir(), 'vrouter-utils-wine-')), 'out.txt')
  const version = spawnSync('sh', ['-c', `${wine} "${WINDOWS}" --version > "${out}" 2>/dev/null; cat "${out}"`], {encoding: 'utf8', env})
  assert.match(version.stdout, /^vrouter-utils \d+\.\d+\.\d+ /)
  const help = spawnSync('sh', ['-c', `${wine} "${WINDOWS}" vif --help > "${out}" 2>/dev/null; cat "${out}"`], {encoding: 'utf8', env})
  assert.match(help.stdout, /^Usage: vif \[--create <intf_name> --mac <mac>\]/)
})
