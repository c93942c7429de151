/** getopt_long as the stock tools use it, and the stock tools' agent-config parser. */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {atoi, cLong, getopt, strtol} from '../../src/cli/legacy/getopt.js'
import {iniValue, platformOf} from '../../src/lib/ksync/platform.js'

const table = {
  long: [
    {name: 'list', arg: 'none', id: 'list'},
    {name: 'get', arg: 'required', id: 'get'},
    {name: 'sock-dir', arg: 'required', id: 'sock-dir'},
    {name: 'socket', arg: 'required', id: 'socket', extension: true},
    {name: 'set', arg: 'required', id: 'set'},
  ] as const,
  short: 'lg:s:v:c',
  shortIds: {l: 'list', g: 'get', s: 'sock-dir'},
}

test('long options: exact, abbreviated, =value, and extensions never abbreviate', () => {
  const r = getopt('vif', ['--li', '--get=3', '--so', '/tmp/x', 'operand', '--socket', '/s'], table)
  assert.deepEqual(r.options.map((o) => [o.id, o.value]), [['list', undefined], ['get', '3'], ['sock-dir', '/tmp/x'], ['socket', '/s']])
  assert.deepEqual(r.operands, ['operand'])
  assert.deepEqual(r.errors, [])
})

test('short options: clusters and attached arguments', () => {
  const r = getopt('rt', ['-cv1', '-l', '-g', '5', '-s/tmp'], table)
  assert.deepEqual(r.options.map((o) => [o.id, o.value]), [['c', undefined], ['v', '1'], ['list', undefined], ['get', '5'], ['sock-dir', '/tmp']])
})

test('glibc diagnostics, and parsing goes on', () => {
  const r = getopt('vif', ['--bogus', '--s', '--list=1', '--get'], table)
  assert.deepEqual(r.errors, [
    "vif: unrecognized option '--bogus'",
    "vif: option '--s' is ambiguous; possibilities: '--sock-dir' '--set'",
    "vif: option '--list' doesn't allow an argument",
    "vif: option '--get' requires an argument",
  ])
  const s = getopt('vif', ['-z', '-v'], table)
  assert.deepEqual(s.errors, ["vif: invalid option -- 'z'", "vif: option requires an argument -- 'v'"])
  assert.deepEqual(getopt('vif', ['--', '--list'], table).operands, ['--list'])
  // A required argument is the next word, whatever it looks like.
  assert.deepEqual(getopt('vif', ['--get', '-z'], table).options, [{id: 'get', value: '-z', long: true}])
})

test('C number parsing', () => {
  assert.deepEqual([strtol('0x10').value, strtol('010').value, strtol(' 12abc').value, strtol('-5').value], [16, 8, 12, -5])
  assert.equal(strtol('abc').consumed, false)
  assert.deepEqual([atoi('42x'), atoi('x'), atoi(' -3')], [42, 0, -3])
})

test('C longs exactly, with ERANGE (as glibc on a 64-bit host returns them)', () => {
  const u = (text: string) => {
    const r = cLong(text, 'strtoul')
    return [r.value, r.overflow]
  }
  assert.deepEqual(u('abc'), [0n, false])
  assert.deepEqual(u(' 12z'), [12n, false])
  assert.deepEqual(u('0x10'), [16n, false])
  assert.deepEqual(u('017'), [15n, false])
  assert.deepEqual(u('0x'), [0n, false])
  assert.deepEqual(u('-1'), [2n ** 64n - 1n, false])
  assert.deepEqual(u('18446744073709551615'), [2n ** 64n - 1n, false])
  assert.deepEqual(u('18446744073709551616'), [2n ** 64n - 1n, true])
  assert.deepEqual(u('99999999999999999999'), [2n ** 64n - 1n, true])
  assert.deepEqual(u('-18446744073709551616'), [2n ** 64n - 1n, true])
  assert.deepEqual(cLong('99999999999999999999', 'atoi'), {value: 2n ** 63n - 1n, overflow: true})
  assert.deepEqual(cLong('-9223372036854775809', 'atoi'), {value: -(2n ** 63n), overflow: true})
  assert.deepEqual(cLong('010', 'atoi'), {value: 10n, overflow: false}, 'atoi is decimal')
})

test('the agent config, read as crudely as the stock tools read it', () => {
  const config = '# platform=dpdk\n[DEFAULT]\n  platform = d p d k  \nxyz=1\n[VIRTUAL-HOST-INTERFACE]\nplatform=nic\n'
  assert.equal(iniValue(config, 'DEFAULT', 'platform'), 'dpdk')
  assert.equal(iniValue('[DEFAULT]\nxplatform=nic\n', 'DEFAULT', 'platform'), 'nic', 'a substring match')
  assert.equal(iniValue('[DEFAULT]\na=1\n[OTHER]\nplatform=dpdk\n', 'DEFAULT', 'platform'), undefined, 'beyond the section')
  assert.equal(iniValue('[DEFAULT]\n  # platform=dpdk\n', 'DEFAULT', 'platform'), 'dpdk', 'an indented # is no comment')
  assert.deepEqual(platformOf(undefined, false), {platform: 'kernel', offload: false})
  assert.deepEqual(platformOf(undefined, true), {platform: 'vtest', offload: false})
  assert.deepEqual(platformOf('[DEFAULT]\nplatform=nic\noffload=enabled\n', true), {platform: 'nic', offload: true})
})

test('"-" returns operands in place, ":" silences diagnostics and reports a missing argument as ":"', () => {
  const inOrder = {long: [{name: 'lacp', arg: 'required', id: 'lacp'}] as const, short: '-:x::l:', shortIds: {l: 'lacp'}}
  const r = getopt('dpdkinfo', ['one', '-x', '-xall', '-q', '--lacp'], inOrder)
  assert.deepEqual(
    r.options.map((o) => [o.id, o.value]),
    [['\u0001', 'one'], ['x', undefined], ['x', 'all'], ['?', undefined], [':', undefined]],
  )
  assert.deepEqual([r.errors, r.operands], [[], []])
  const loud = getopt('t', ['one', '-l'], {...inOrder, short: '-l:'})
  assert.deepEqual([loud.options.map((o) => o.id), loud.errors], [['\u0001', '?'], ["t: option requires an argument -- 'l'"]])
})
