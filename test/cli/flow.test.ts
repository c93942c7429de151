/**
 * `flow` against the stock tool's captured table (test/fixtures/peer/flow-list): the --match grammar and its
 * messages, the listing filtered as the stock tool filters it, JSON, our filters, single flows, exit statuses, and
 * bad table files (one clear error, never a crash).
 */
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {parseFlowMatch} from '../../src/cli/legacy/flow-options.js'
import {PEER, peerCases} from '../helpers.js'
import {type Replay, replay, withTablePath} from '../peer-server.js'
import {runCliAsync} from '../cli.js'

const TABLE = `${PEER}/flow-list/table.bin`
const capture = peerCases().find((c) => c.name === 'flow-list')!
const DASHES = `${'-'.repeat(83)}\n`
const captureHeader = capture.stdout.slice(0, capture.stdout.indexOf(DASHES) + DASHES.length)
/** The captured listing's blocks (a flow, or a slot's overflow chain) by slot index. */
const BLOCKS = new Map(
  capture.stdout
    .slice(captureHeader.length)
    .split('\n\n')
    .filter(Boolean)
    .map((b) => [Number(b.trim().split(/[<\s]/)[0]), `${b}\n\n`]),
)
const blocks = (...indexes: number[]) => indexes.map((i) => BLOCKS.get(i)!).join('')
const COLUMNS = '    Index                Source:Port/Destination:Port                      Proto(V)\n'
/** The capture's header with a "Listing flows matching" line before the columns. */
const listingHeader = (what: string) => captureHeader.replace(COLUMNS, `Listing flows matching (${what})\n\n${COLUMNS}`)

let server: Replay
const dir = mkdtempSync(join(tmpdir(), 'flow-cli-'))
before(async () => {
  server = await replay({replies: capture.replies.map((r) => withTablePath(r, TABLE))})
})
after(async () => {
  await server.close()
  rmSync(dir, {recursive: true, force: true})
})

const flow = (...argv: string[]) => runCliAsync(['flow', '--sock-dir', server.dir, ...argv])

describe('--match grammar (utils/flow.c)', () => {
  const v4 = (t: string) => Uint8Array.from(t.split('.').map(Number))
  test('endpoints, protocol, VRF', () => {
    assert.deepEqual(parseFlowMatch('1.1.1.1:20').match, {family: 'inet', first: {address: v4('1.1.1.1'), port: 20}, proto: -1, vrf: -1})
    assert.deepEqual(parseFlowMatch(' 10.204.217.10:56910,169.254.0.3:22 & vrf 0 & proto tcp').match, {
      family: 'inet',
      first: {address: v4('10.204.217.10'), port: 56910},
      second: {address: v4('169.254.0.3'), port: 22},
      proto: 6,
      vrf: 0,
    })
    const v6 = parseFlowMatch('[fe80::225:90ff:fec3:afa]:22').match!
    assert.deepEqual([v6.family, v6.first!.port, Buffer.from(v6.first!.address!).toString('hex')], ['inet6', 22, 'fe800000000000000225' + '90fffec30afa'])
    assert.deepEqual(parseFlowMatch('*:53 & proto icmp6').match, {family: 'inet', first: {port: 53}, proto: 58, vrf: -1})
    assert.deepEqual(parseFlowMatch('fd00::1').match?.family, 'inet6', 'a bare IPv6 address')
  })
  test('the stock messages', () => {
    const printed = (text: string) => {
      const r = parseFlowMatch(text)
      assert.equal(r.match, undefined, text)
      return r.printed
    }
    const mixed = parseFlowMatch('1.1.1.1,fd00::1:2')
    assert.equal(mixed.printed, 'match: You are trying to match v4 and v6 flow together\nmatch: It does not make sense to me at this point of time\n')
    assert.deepEqual(mixed.match?.second, undefined, 'a bare IPv6 address that fails is ignored (the stock tool does not check)')
    assert.equal(printed('1.1.1.1,[fd00::1]:2'), 'match: You are trying to match v4 and v6 flow together\nmatch: It does not make sense to me at this point of time\n')
    assert.equal(printed('[fd00::1:22'), "match: No closing ']'\n")
    assert.equal(printed('[fd00::1]22'), 'match: match string should be in [aa:aa::aa:aa]:p format\n')
    assert.equal(printed('1.1.1:80'), 'match: "1.1.1" is not a valid ipv4 address format\n')
    assert.equal(printed('proto gre'), 'Unsupported protocol "gre"\n')
    const leading = parseFlowMatch('&1.1.1.1')
    assert.deepEqual([leading.printed, leading.match], ['Malformed request: separator used incorrectly \n', {proto: -1, vrf: -1}], 'a leading separator ends the parse, but not in an error')
    assert.equal(printed('1.1.1.1,2.2.2.2,3.3.3.3:4'), 'match: Why do you specify "[3.3.3.3]:4" when both ends of the flow are already specified\n')
    assert.equal(printed(',1.1.1.1'), 'Malformed request: separator used incorrectly \nmatch: ",1.1.1.1" is not a valid ipv4 address format\n')
  })
})

describe('flow against the captured table', () => {
  test('--match: the stock listing line, matching flows, and inactive slots still show their chains (stock quirk)', async () => {
    const r = await flow('--match', '10.1.1.5')
    assert.equal(r.status, 0)
    assert.equal(r.stdout, listingHeader('[10.1.1.5]:*') + blocks(543, 616, 656, 1024))
    const pair = await flow('--match', '10.1.1.6:80,10.1.1.5 & proto tcp')
    assert.equal(pair.stdout, listingHeader('[10.1.1.6]:80, [10.1.1.5]:*, Protocol TCP') + blocks(543, 616, 656))
    const v6 = await flow('--match', '[fd00:10:1:2::7]:53 & vrf 2')
    assert.equal(v6.stdout, listingHeader('[fd00:10:1:2::7]:53, VRF 2') + blocks(543, 640))
    const vrf0 = await flow('--match', 'vrf 0')
    assert.equal(vrf0.stdout, captureHeader + blocks(543), '"vrf 0" filters but prints no Listing line (stock quirk)')
    const bad = await flow('--match', 'proto gre', '--legacy-exit')
    assert.deepEqual([bad.status, bad.stdout], [234, 'Unsupported protocol "gre"\n'])
    assert.equal((await flow('--match', 'proto gre')).status, 2)
  })

  test('--json: one flow per line in an array, names instead of letters; --ndjson; our filters; --top', async () => {
    const json = JSON.parse((await flow('-l', '--json')).stdout) as Record<string, unknown>[]
    assert.deepEqual(json.map((f) => f.index), [616, 640, 656, 1024])
    assert.deepEqual(json[0], {
      index: 616, reverse_index: 656, family: 'inet', source: '10.1.1.5', source_port: 40000, destination: '10.1.1.6', destination_port: 80,
      protocol: 6, protocol_name: 'TCP', vrf: 2, destination_vrf: null, action: 'FORWARD', drop_reason: null, flags: ['ACTIVE', 'RFLOW_VALID'],
      tcp_flags: ['SYN_R', 'HALF_CLOSE'], gen_id: 1, key_nexthop: 21, rpf_nexthop: 21, ecmp_index: null, underlay_ecmp_index: null, qos_id: -1,
      packets: 321, bytes: 123456, mirror: null, udp_source_port: 52000, ttl: 64, hbs: null, source_info: '2.0.0.0',
    })
    assert.equal(json[1].drop_reason, 'POLICY')
    const nd = (await flow('-l', '--ndjson', '--action', 'drop')).stdout.trim().split('\n').map((l) => JSON.parse(l))
    assert.deepEqual(nd.map((f) => [f.index, f.source]), [[640, 'fd00:10:1:1::5']])
    const top = await flow('-l', '--top', '2')
    assert.equal(top.stdout, captureHeader + blocks(656, 616), 'the two flows with the most bytes, most first')
    assert.equal((await flow('-l', '--drop-reason', 'Policy')).stdout, captureHeader + blocks(640))
    assert.equal((await flow('-l', '--flag', 'rflow-valid', '--action', 'forward')).stdout, captureHeader + blocks(616, 656))
    const table = await flow('-l', '--table', '--action', 'forward,drop')
    assert.match(table.stdout, /│ index │ reverse │ source\s+│/)
    assert.equal(table.stdout.match(/10\.1\.1\.5:40000/g)?.length, 2, 'the forward flow and its reverse')
    const wrong = await flow('-l', '--action', 'bounce')
    assert.deepEqual([wrong.status, wrong.stderr], [2, "flow: --action wants forward, drop, nat or hold (or a comma-separated list), not 'bounce'\n"])
  })

  test('--limit N: the scan stops at the Nth flow shown, in every output mode; with our filters it counts what they keep', async () => {
    const all = (await flow('-l')).stdout
    const two = (await flow('-l', '--limit', '2')).stdout
    assert.ok(all.startsWith(two) && two.endsWith(blocks(640)), 'the listing up to the second flow (a slot heading a chain before it included)')
    assert.equal(two.match(/\(Gen: /g)?.length, 2)
    assert.deepEqual((JSON.parse((await flow('-l', '--limit', '3', '--json')).stdout) as {index: number}[]).map((f) => f.index), [616, 640, 656])
    assert.equal((await flow('-l', '--limit', '9')).stdout, all, 'fewer flows than the limit: all of them')
    assert.equal((await flow('-l', '--limit', '1', '--action', 'forward', '--ndjson')).stdout.trim().split('\n').length, 1)
    assert.equal(JSON.parse((await flow('-l', '--limit', '1', '--action', 'drop', '--ndjson')).stdout).index, 640)
    for (const [argv, message] of [
      [['--limit', '0'], "flow: --limit wants a positive whole number, not '0'\n"],
      [['--limit', '2', '--top', '2'], 'flow: --top and --limit do not go together (--top N shows N flows already)\n'],
    ] as const) {
      const r = await flow('-l', ...argv)
      assert.deepEqual([r.status, r.stderr], [2, message])
    }
  })

  test('--get: the flow block (from --file: the capture has no replies for the GETs that follow); stock messages for an inactive slot and an index past the table', async () => {
    const get = await flow('--get', '616', '--file', TABLE)
    assert.equal(get.status, 0)
    assert.equal(
      get.stdout,
      [
        'Flow Index:                   616',
        'Flow Generation ID:           1',
        'Reverse Flow Index:           656',
        'VRF:                          2',
        'Destination VRF:              2',
        'Flow Source:                  [10.1.1.5]:40000',
        'Flow Destination:             [10.1.1.6]:80   ',
        'Flow Protocol:                TCP',
        'Flow Action:                  FORWARD',
        '',
        'Flow Flags:                   ',
        'TCP FLAGS:                    SYN(REVERSE), HALFCLOSED, ',
        'UDP Source Port:              52000',
        '',
        'Flow Statistics:              321/123456',
        '',
      ].join('\n'),
    )
    assert.match((await flow('--get', '640', '--file', TABLE)).stdout, /\nFlow Action: {18}DROP: {30}Policy\n/)
    assert.deepEqual([(await flow('-g', '5')).stdout, (await flow('-g', '5')).status], ['Flow index 5 is not active\n', 0])
    const past = await flow('--get', '4096', '--legacy-exit')
    assert.deepEqual([past.stdout, past.status], ['Flow index 4096 is greater than available indices (2047)\n', 255])
  })

  test('the stock usage: no operation, index 0, --show-evicted without -l, --help; -p refused', async () => {
    for (const argv of [[], ['-f', '0'], ['--get', '616', '--show-evicted'], ['-z']]) {
      const r = await flow(...argv, '--legacy-exit')
      assert.deepEqual([r.status, r.stdout.split('\n')[0]], [234, 'Usage:flow [-f flow_index]'], argv.join(' '))
    }
    assert.equal((await flow('-f', '0')).status, 2)
    const help = await runCliAsync(['flow', '--help'])
    assert.deepEqual([help.status, help.stdout.split('\n').at(-2)], [0, '--help           Print this help'])
    const perf = await flow('-p', '5000000', '--legacy-exit')
    assert.deepEqual([perf.status, perf.stdout], [255, 'Invalid perf count 5000000. Max value 4000000\n'])
  })

  test('-s without a terminal: one statistics screen per interval, bounded by --count; NDJSON under --json', async () => {
    const r = await flow('-s', '--count', '2', '--interval', '0.05')
    assert.equal(r.status, 0)
    const screens = r.stdout.split(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\n/m).slice(1)
    assert.equal(screens.length, 2)
    assert.ok(screens[0].startsWith('Flow Statistics\n---------------\n    Total  Entries  --- Total =       4, new =       4 \n    Active Entries  --- Total =       4, new =       4 \n'))
    assert.match(screens[0], /\n {4}Fwd flow Entries {2}- Total = {7}3\n {4}drop flow Entries - Total = {7}1\n/)
    assert.match(screens[1], /^Flow Statistics\n-+\n {4}Total {2}Entries {2}--- Total = {7}4, new = {7}0 \n/, 'the second screen: nothing new')
    const json = (await flow('-s', '--count', '1', '--json')).stdout.trim().split('\n').map((l) => JSON.parse(l))
    assert.deepEqual([json.length, json[0].total, json[0].forward, json[0].drop], [1, 4, 3, 1])
  })

  test('no forwarding plane: 4 with a reason, or the stock silence and 244', async () => {
    const r = await runCliAsync(['flow', '-l', '--sock-dir', join(dir, 'nowhere')])
    assert.equal(r.status, 4)
    assert.match(r.stderr, /^flow: cannot connect to /)
    const legacy = await runCliAsync(['flow', '-l', '--sock-dir', join(dir, 'nowhere'), '--legacy-exit'])
    assert.deepEqual([legacy.status, legacy.stdout, legacy.stderr], [244, '', ''])
  })
})

describe('bad table files (--file, no forwarding plane): one clear error, exit 1, never a crash', () => {
  const file = (name: string, bytes: Uint8Array) => {
    const path = join(dir, name)
    writeFileSync(path, bytes)
    return path
  }
  const peer = new Uint8Array(readFileSync(TABLE))

  test('the captured table read offline: the same flows, zero counters; mmap and pread alike', async () => {
    for (const access of [[], ['--pread']]) {
      const r = await runCliAsync(['flow', '-l', '--file', TABLE, ...access])
      assert.equal(r.status, 0)
      assert.ok(r.stdout.startsWith('Flow table(size 524288, entries 2048)\n\nEntries: Created 0 Added 0 Deleted 0 Changed 0Processed 0 Used Overflow entries 0\n(Created Flows/CPU: )(oflows 0)\n'))
      assert.ok(r.stdout.endsWith(blocks(543, 616, 640, 656, 1024)))
    }
  })

  test('zero-filled: the stock corruption message, then our error', async () => {
    const path = file('zeros', new Uint8Array(64 * 256))
    const r = await runCliAsync(['flow', '-l', '--file', path])
    assert.equal(r.status, 1)
    assert.ok(r.stdout.endsWith(`${DASHES}     0\n     Oflow entries:\n\t 0\nERROR:flow file corrupted,reload vRouter module to recover\n`))
    assert.equal(r.stderr, `flow: ${path}: broken chain: overflow entry 0 links to entry 0 (a zero-filled or corrupted table)\n`)
    assert.equal((await runCliAsync(['flow', '-l', '--file', path, '--legacy-exit'])).status, 0, 'the stock tool exits 0 there')
    const json = await runCliAsync(['flow', '-l', '--file', path, '--json'])
    assert.equal(json.status, 1)
    assert.deepEqual(JSON.parse(json.stdout.slice(json.stdout.lastIndexOf('{"error"'))).error.table_error, 'broken-chain')
  })

  test('a chain past the end, a truncated file, a size that is not whole entries, a missing file', async () => {
    const beyond = peer.slice()
    new DataView(beyond.buffer).setUint32(700 * 256 + 16, 1 << 30, true)
    const r = await runCliAsync(['flow', '-l', '--file', file('beyond', beyond)])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /broken chain: entry 700 links to entry 1073741824, beyond the table's 2048 entries\n$/)
    assert.ok(r.stdout.endsWith(blocks(543, 616, 640, 656)), 'what came before is listed')

    const odd = await runCliAsync(['flow', '-l', '--file', file('odd', peer.subarray(0, 1000))])
    assert.deepEqual([odd.status, odd.stdout], [1, ''])
    assert.match(odd.stderr, /odd: 1000 bytes is not a whole number of 256-byte entries\n$/)
    const missing = await runCliAsync(['flow', '-l', '--file', join(dir, 'absent')])
    assert.deepEqual([missing.status, missing.stdout], [1, `${join(dir, 'absent')}: No such file or directory\n`])
  })

  test('the forwarding plane reports more than the file holds: truncated', async () => {
    const short = file('short', peer.subarray(0, 100 * 256))
    const s = await replay({replies: capture.replies.map((r) => withTablePath(r, short))})
    try {
      const r = await runCliAsync(['flow', '-l', '--sock-dir', s.dir])
      assert.equal(r.status, 1)
      assert.equal(r.stderr, `flow: ${short}: the file has 25600 bytes, but the forwarding plane reports a table of 524288 bytes (truncated?)\n`)
    } finally {
      await s.close()
    }
  })
})
