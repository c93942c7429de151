/**
 * The pkt0 codec: the spec's worked FLOW_MISS trap and the fixtures both ways (bytes → frame → the same bytes; the
 * description → the fixture's bytes), lines as `pkt0 decode` prints them, and properties: every frame and packet the
 * builder makes decodes without an issue and re-encodes to itself; random, cut and mutated bytes decode to layers
 * that cover every byte (and re-encode exactly) or to a typed DecodeError, never anything else.
 */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import fc from 'fast-check'
import {DecodeError, EncodeError} from '../../../src/lib/errors.js'
import {AGENT, AGENT_COMMANDS, agentCommandCode, agentCommandName, flowTrapParams, trapMeaning} from '../../../src/lib/model/pkt0.js'
import {layerLength} from '../../../src/lib/model/packet.js'
import {frameRuns} from '../../../src/lib/pkt0/annotate.js'
import {PACKET_KINDS, type PacketSpec, buildPacket, packetLayers, tcpFlagsOf} from '../../../src/lib/pkt0/build.js'
import {decodePkt0Frame, encodePkt0Frame} from '../../../src/lib/pkt0/frame.js'
import {decodePacket, encodePacket} from '../../../src/lib/pkt0/packet.js'
import {frameJson, frameLine, packetSummary} from '../../../src/lib/render/pkt0.js'
import {FIXTURES, buildFixture, goldenFixture} from './fixtures.js'

describe('the spec\'s worked FLOW_MISS trap (shm-pkt0 §9.5)', () => {
  const bytes = goldenFixture('flow-miss')

  test('decodes to the header and packet the spec describes', () => {
    assert.equal(bytes.length, 94)
    const frame = decodePkt0Frame(bytes)
    assert.deepEqual(frame.outer, {layer: 'ethernet', dst: '00:00:5e:00:01:00', src: '00:00:5e:00:01:00', ethertype: 0x0800})
    assert.deepEqual(frame.header, {ifindex: 3, vrf: 1, cmd: AGENT.FLOW_MISS, params: [1234, 12, 0, 0, 0, 7], pad: 0})
    assert.deepEqual(trapMeaning(frame.header), {flowIndex: 1234, nexthop: 12, bytes: 0, packets: 0, genId: 7})
    const packet = decodePacket(frame.packet)
    assert.equal(packet.issue, undefined)
    assert.deepEqual(packet.layers.map((l) => l.layer), ['ethernet', 'ipv4', 'icmp', 'payload'])
    assert.deepEqual(packet.layers[1], {layer: 'ipv4', ihl: 5, tos: 0, totalLength: 36, id: 1, flags: 2, fragmentOffset: 0, ttl: 64, protocol: 1, checksum: 0x26d6, src: '10.0.0.1', dst: '10.0.0.2', options: ''})
    assert.deepEqual(packet.layers[2], {layer: 'icmp', type: 8, code: 0, checksum: 0xcdbf, rest: 0x1a2b0001})
    assert.equal(frameLine(frame, packet), 'FLOW_MISS vif 3 vrf 1 flow 1234 gen 7 nh 12: IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 6699, seq 1, length 16')
    // Where the capture knows the direction (the kernel vRouter's tap), it comes after the time.
    assert.equal(frameLine(frame, packet, Date.UTC(2026, 0, 1) * 1000 + 5, 'to-agent').replace(/^\d\d:\d\d/, 'HH:MM'), 'HH:MM:00.000005 to-agent FLOW_MISS vif 3 vrf 1 flow 1234 gen 7 nh 12: IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 6699, seq 1, length 16')
    assert.deepEqual(Object.keys(frameJson(frame, packet, 0, 'from-agent')).slice(0, 4), ['time', 'micros', 'direction', 'trap'])
    assert.equal(frameJson(frame, packet).direction, undefined)
  })

  test('encodes back to the same bytes, and computing lengths and checksums gives the spec\'s', () => {
    const frame = decodePkt0Frame(bytes)
    assert.deepEqual(encodePkt0Frame(frame), bytes)
    const layers = decodePacket(frame.packet).layers
    assert.deepEqual(encodePacket(layers), frame.packet)
    const zeroed = layers.map((l) => (l.layer === 'ipv4' ? {...l, checksum: 0, totalLength: 0} : l.layer === 'icmp' ? {...l, checksum: 0} : l))
    assert.deepEqual(encodePacket(zeroed, {fill: true}), frame.packet)
  })

  test('the annotation covers every byte once, field by field', () => {
    const frame = decodePkt0Frame(bytes)
    const runs = frameRuns(frame, decodePacket(frame.packet))
    let at = 0
    for (const r of runs) {
      assert.equal(r.offset, at)
      at += r.length
    }
    assert.equal(at, bytes.length)
    assert.equal(runs[5].label, 'hdr_cmd 6 (FLOW_MISS)')
    assert.equal(runs[11].label, 'hdr_cmd_param_5 7')
  })
})

describe('fixtures (test/golden/pkt0)', () => {
  for (const f of FIXTURES) {
    test(f.name, () => {
      const golden = goldenFixture(f.name)
      assert.deepEqual(buildFixture(f), golden, 'the description builds the fixture\'s bytes')
      const frame = decodePkt0Frame(golden)
      const packet = decodePacket(frame.packet)
      assert.equal(packet.issue, undefined)
      assert.equal(frameLine(frame, packet), f.line)
      assert.deepEqual(encodePkt0Frame({...frame, packet: encodePacket(packet.layers)}), golden)
      const json = JSON.parse(JSON.stringify(frameJson(frame, packet)))
      assert.equal(json.trap, agentCommandName(f.header.cmd))
      assert.deepEqual(json.layers, packet.layers)
    })
  }
})

describe('agent commands', () => {
  test('codes 0..20 by name, with the spec\'s parameter rules', () => {
    assert.equal(AGENT_COMMANDS.length, 21)
    AGENT_COMMANDS.forEach((c, i) => assert.equal(c.code, i))
    assert.equal(agentCommandCode('flow_miss'), 6)
    assert.equal(agentCommandCode('AGENT_TRAP_FLOW_ACTION_HOLD'), 15)
    assert.equal(agentCommandCode('7'), 7)
    assert.equal(agentCommandCode('nope'), undefined)
    assert.equal(agentCommandName(99), 'CMD_99')
    assert.deepEqual(trapMeaning({ifindex: 0, vrf: 0, cmd: AGENT.DIAG, params: [0x00020005, 0, 0, 0, 0, 0], pad: 0}), {vif: 5})
    assert.deepEqual(trapMeaning({ifindex: 0, vrf: 0, cmd: AGENT.HANDLE_DF, params: [1400, 9, 0, 0, 0, 0], pad: 0}), {mtu: 1400, flowIndex: 9})
    assert.deepEqual(trapMeaning({ifindex: 0, vrf: 0, cmd: AGENT.ARP, params: [0, 0, 7, 7, 7, 7], pad: 0}), {}, 'p2..p5 of other codes are garbage')
    assert.ok(AGENT_COMMANDS.filter((c) => c.tfOnly).every((c) => c.code >= 19))
  })

  test('flow trap counters: 48-bit bytes and 40-bit packets through the overflow word', () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 2 ** 48 - 1}), fc.integer({min: 0, max: 2 ** 40 - 1}), fc.nat(255), (bytes, packets, gen) => {
        const params = flowTrapParams(42, 7, bytes, packets, gen)
        assert.deepEqual(trapMeaning({ifindex: 1, vrf: 1, cmd: AGENT.FLOW_MISS, params, pad: 0}), {flowIndex: 42, nexthop: 7, bytes, packets, genId: gen})
      }),
    )
  })
})

const mac = fc.uint8Array({minLength: 6, maxLength: 6}).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':'))
const ipv4 = fc.ipV4()
const ipv6 = fc.uint8Array({minLength: 16, maxLength: 16}).map((b) => Array.from({length: 8}, (_, i) => ((b[2 * i] << 8) | b[2 * i + 1]).toString(16)).join(':'))
const spec: fc.Arbitrary<PacketSpec> = fc.oneof(
  fc.record({proto: fc.constant('arp' as const), src: ipv4, dst: ipv4, op: fc.constantFrom('request' as const, 'reply' as const, 'gratuitous' as const)}),
  fc.record({proto: fc.constant('dhcp' as const), dhcp: fc.constantFrom('discover', 'request', 'release', 'inform'), id: fc.nat()}, {requiredKeys: ['proto', 'dhcp']}),
  fc.boolean().chain((v6) =>
    fc.record(
      {
        proto: fc.constantFrom('tcp' as const, 'udp' as const, 'icmp' as const),
        src: v6 ? ipv6 : ipv4,
        dst: v6 ? ipv6 : ipv4,
        sport: fc.nat(65535),
        dport: fc.nat(65535),
        flags: fc.subarray(['S', 'F', 'R', 'P', '.', 'U', 'E', 'W']).map((l) => l.join('')),
        vlan: fc.nat(4095),
        ttl: fc.nat(255),
        length: fc.nat(1400),
        seq: fc.nat(65535),
        id: fc.nat(65535),
      },
      {requiredKeys: ['proto', 'src', 'dst']},
    ),
  ),
)
const DEFAULTS = {srcMac: '02:00:00:00:00:01', dstMac: '00:00:5e:00:01:00', src: '10.0.0.1'}

describe('properties', () => {
  test('built packets decode without an issue and encode back to themselves', () => {
    fc.assert(
      fc.property(spec, mac, (s, srcMac) => {
        const bytes = buildPacket({...s, src_mac: srcMac}, DEFAULTS)
        const decoded = decodePacket(bytes)
        assert.equal(decoded.issue, undefined, JSON.stringify(decoded.issue))
        assert.deepEqual(encodePacket(decoded.layers), bytes)
        assert.equal(decoded.layers.reduce((n, l) => n + layerLength(l), 0), bytes.length)
        // Filling again changes nothing: the lengths and checksums are already right.
        assert.deepEqual(encodePacket(decoded.layers, {fill: true}), bytes)
        assert.ok(packetSummary(decoded).length > 0)
        const kinds = decoded.layers.map((l) => l.layer)
        assert.ok(kinds.includes(s.proto === 'dhcp' ? 'dhcp' : s.proto === 'icmp' && s.src?.includes(':') ? 'icmpv6' : s.proto), kinds.join())
      }),
      {numRuns: 300},
    )
  })

  test('a frame round-trips with any header', () => {
    const header = fc.record({
      ifindex: fc.nat(65535),
      vrf: fc.nat(65535),
      cmd: fc.nat(65535),
      params: fc.tuple(fc.nat(2 ** 32 - 1), fc.nat(2 ** 32 - 1), fc.nat(2 ** 32 - 1), fc.nat(2 ** 32 - 1), fc.nat(2 ** 32 - 1), fc.nat(255)),
      pad: fc.nat(2 ** 24 - 1),
    })
    fc.assert(
      fc.property(header, mac, mac, fc.nat(65535), fc.uint8Array({maxLength: 200}), (h, dst, src, ethertype, packet) => {
        const frame = {outer: {layer: 'ethernet' as const, dst, src, ethertype}, header: {...h}, packet}
        const bytes = encodePkt0Frame(frame)
        assert.equal(bytes.length, 44 + packet.length)
        assert.deepEqual(decodePkt0Frame(bytes), frame)
      }),
    )
  })

  test('random bytes: layers that cover every byte and re-encode exactly, or an issue with a DecodeError code', () => {
    const bytesLike = fc.oneof(
      fc.uint8Array({maxLength: 300}),
      // Built packets with bytes changed and cut: closer to what breaks a decoder.
      fc.tuple(spec, fc.array(fc.tuple(fc.nat(400), fc.nat(255)), {maxLength: 6}), fc.nat(400)).map(([s, changes, cut]) => {
        const b = buildPacket(s, DEFAULTS)
        for (const [at, value] of changes) if (at < b.length) b[at] = value
        return b.subarray(0, Math.min(cut, b.length))
      }),
    )
    fc.assert(
      fc.property(bytesLike, (bytes) => {
        const decoded = decodePacket(bytes)
        assert.equal(decoded.layers.reduce((n, l) => n + layerLength(l), 0), bytes.length)
        assert.deepEqual(encodePacket(decoded.layers), bytes)
        if (decoded.issue) assert.ok(['TRUNCATED', 'BAD_HEADER'].includes(decoded.issue.code))
        packetSummary(decoded)
      }),
      {numRuns: 1000},
    )
  })

  test('frames shorter than the headers are a TRUNCATED DecodeError; garbage frames decode', () => {
    const frame = goldenFixture('flow-miss')
    for (let n = 0; n < frame.length; n++) {
      const cut = frame.subarray(0, n)
      if (n < 44) {
        assert.throws(() => decodePkt0Frame(cut), (e: unknown) => e instanceof DecodeError && e.code === 'TRUNCATED' && e.offset === n)
      } else {
        const packet = decodePacket(decodePkt0Frame(cut).packet)
        if (n < frame.length) assert.equal(packet.issue?.code, 'TRUNCATED', `cut at ${n}`)
      }
    }
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 120}), (bytes) => {
        try {
          decodePacket(decodePkt0Frame(bytes).packet)
        } catch (error) {
          assert.ok(error instanceof DecodeError && bytes.length < 44)
        }
      }),
    )
  })

  test('a header cut short names where: IPv4 total length beyond the capture (a trap cut to 190 bytes)', () => {
    const big = buildPacket({proto: 'udp', dst: '10.0.0.2', length: 1000}, DEFAULTS)
    const decoded = decodePacket(big.subarray(0, 190))
    assert.equal(decoded.issue?.code, 'TRUNCATED')
    assert.equal(decoded.issue?.offset, 190)
    assert.match(packetSummary(decoded), /UDP, length 1000 \[truncated at byte 190\]$/)
    const bad = big.slice()
    bad[14] = 0x43
    assert.equal(decodePacket(bad).issue?.code, 'BAD_HEADER')
  })
})

describe('descriptions', () => {
  test('every kind builds; wrong values are EncodeErrors that name the key', () => {
    for (const proto of PACKET_KINDS) assert.ok(buildPacket({proto, dst: '10.0.0.9'}, DEFAULTS).length >= 42)
    assert.equal(tcpFlagsOf('S.'), 0x12)
    assert.throws(() => tcpFlagsOf('SX'), EncodeError)
    assert.throws(() => buildPacket({proto: 'tcp', dst: 'fd00::1'}, DEFAULTS), /dst/)
    assert.throws(() => buildPacket({proto: 'udp'}, DEFAULTS), /destination/)
    assert.throws(() => buildPacket({proto: 'dhcp', dhcp: 'hello'}, DEFAULTS), /Discover/)
    assert.throws(() => buildPacket({proto: 'arp', src_mac: 'zz'}, DEFAULTS), /src_mac/)
    const layers = packetLayers({proto: 'arp', dst: '10.0.0.9'}, DEFAULTS)
    assert.deepEqual(layers[0], {layer: 'ethernet', dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', ethertype: 0x0806})
  })
})
