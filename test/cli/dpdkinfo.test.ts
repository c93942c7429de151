/** dpdkinfo against the emulator: the section asked for, text over several replies, the stock option checks. */
import assert from 'node:assert/strict'
import {after, before, test} from 'node:test'
import type {SandeshObject} from '../../src/lib/sandesh/schema.js'
import {DPDKINFO_USAGE} from '../../src/lib/render/dpdkinfo.js'
import {type Emulator, startEmulator} from '../emulator/harness.js'
import {runCliAsync} from '../cli.js'

let emu: Emulator
const requests: Record<string, unknown>[] = []
before(async () => {
  // 600 lcores: the report is longer than one reply, so the tool must follow the dump.
  emu = await startEmulator({config: {cores: 600}})
  emu.server.on('request', (_info: unknown, objects: readonly SandeshObject[]) => requests.push(...objects.map((o) => o.fields as Record<string, unknown>)))
})
after(() => emu.close())

const run = (...argv: string[]) => {
  requests.length = 0
  return runCliAsync(['dpdkinfo', ...argv, '--sock-dir', emu.dir])
}

test('--lcore: the whole report over several replies, printed as received', async () => {
  const r = await run('--lcore')
  assert.equal(r.status, 0)
  const lines = r.stdout.split('\n')
  assert.deepEqual([lines.length, lines[0], lines[599]], [601, 'Lcore 10: forwarding', 'Lcore 609: forwarding'])
  assert.ok(requests.length > 1, 'more than one request')
  assert.deepEqual([requests[0].vdu_msginfo, requests[0].vdu_marker, requests[0].vdu_buff_table_id], [8, -1, 0])
  assert.equal(requests[1].vdu_marker, 0, 'the next request names the last chunk')
  assert.notEqual(requests[1].vdu_buff_table_id, 0, 'and the buffer the forwarding plane keeps for this client')
})

test('section arguments go in vdu_inbuf; --buffsz in vdu_outbufsz; JSON wraps the text', async () => {
  const r = await run('-l', 'conf', '--buffsz', '0x1000', '--json')
  assert.equal(r.status, 0)
  assert.deepEqual(JSON.parse(r.stdout), {section: 'lacp', text: 'No information: the emulator has no DPDK runtime.\n'})
  assert.deepEqual([requests[0].vdu_msginfo, Buffer.from(requests[0].vdu_inbuf as number[]).toString(), requests[0].vdu_outbufsz], [4, 'conf', 4096])
  const xstats = await run('-x')
  assert.equal(xstats.status, 0, '-x takes an optional argument')
  assert.equal((requests[0].vdu_inbuf as number[]).length, 0)
})

test('the stock checks: bad section arguments, operands, no section, kernel platform, too big a buffer', async () => {
  for (const argv of [['--lacp', 'bogus'], ['--stats', 'eth0'], ['--xstats=7'], ['--ddp', 'show'], ['extra', '--bond'], ['--buffsz', '1048576000', '--bond'], []]) {
    const r = await run(...argv)
    assert.deepEqual([r.status, r.stdout, requests.length], [2, DPDKINFO_USAGE, 0], argv.join(' '))
  }
  const missing = await runCliAsync(['dpdkinfo', '--legacy-exit', '--lacp'])
  assert.deepEqual([missing.status, missing.stderr], [234, ''], 'getopt is silent in this tool')
  const kernel = await runCliAsync(['dpdkinfo', '--bond', '--platform', 'kernel'])
  assert.equal(kernel.status, 2)
  assert.ok(DPDKINFO_USAGE.includes('<list>\t\t\t\t\t\t   Show DDP'), 'the usage keeps its tabs')
})

test('vrinfo --version: the forwarding plane version report (section 1); anything else is its usage', async () => {
  requests.length = 0
  const r = await runCliAsync(['vrinfo', '-v', '--buffsz', '8192', '--sock-dir', emu.dir])
  assert.equal(r.status, 0)
  assert.match(r.stdout, /^vRouter emulator \(vrouter-utils\) version /)
  assert.deepEqual([requests[0].vdu_msginfo, requests[0].vdu_outbufsz], [1, 8192])
  const none = await runCliAsync(['vrinfo', '--legacy-exit'])
  assert.deepEqual([none.status, none.stdout.split('\n')[0]], [234, 'Usage: dpdkinfo [--help]'])
})
