/** `ksync decode` and `ksync encode` as a user runs them: real processes, whole outputs, exit statuses. */
import assert from 'node:assert/strict'
import {readFileSync, readdirSync} from 'node:fs'
import {describe, test} from 'node:test'
import {commandLine} from '../../src/cli/main.js'
import {toHex} from '../../src/lib/ksync/hex.js'
import {runCli} from '../cli.js'
import cases from '../golden/cli/cases.json' with {type: 'json'}
import {GOLDEN, PEER, hexFixture} from '../helpers.js'

describe('golden outputs', () => {
  for (const {name, argv} of cases) {
    test(name, () => {
      const r = runCli(argv)
      assert.equal(r.stderr, '')
      assert.equal(r.status, 0)
      assert.equal(r.stdout, readFileSync(`${GOLDEN}/cli/${name}.out`, 'utf8'))
    })
  }

  test('--annotate prints the fixture format: each golden file is its own annotation', () => {
    for (const file of readdirSync(`${GOLDEN}/ksync`)) {
      const text = readFileSync(`${GOLDEN}/ksync/${file}`, 'utf8')
      const flavour = /linux|getfamily/.test(file) ? ['--flavour', 'linux'] : []
      const r = runCli(['ksync', 'decode', '--annotate', ...flavour], {input: text})
      assert.equal(r.status, 0, r.stderr)
      assert.equal(r.stdout, text.split('\n').filter((l) => !l.startsWith('#')).join('\n'), file)
    }
  })
})

describe('decode → JSON → encode gives the same bytes', () => {
  const inputs = [
    ...['vif-list', 'nh-list', 'rt-dump-inet', 'dropstats', 'flow-list'].flatMap((c) => [`${PEER}/${c}/request-0.bin`, `${PEER}/${c}/reply-0.bin`]),
  ]
  for (const file of inputs) {
    test(file.replace(/.*peer\//, ''), () => {
      const bytes = readFileSync(file)
      const decoded = runCli(['ksync', 'decode', '--hex', toHex(bytes), '--json'])
      assert.equal(decoded.status, 0, decoded.stderr)
      const encoded = runCli(['ksync', 'encode'], {input: decoded.stdout})
      assert.equal(encoded.status, 0, encoded.stderr)
      assert.equal(encoded.stdout.replace(/[\s]/g, ''), toHex(bytes))
      const binary = runCli(['ksync', 'encode', '--binary'], {input: decoded.stdout})
      assert.deepEqual(binary.stdoutBytes, bytes)
    })
  }

  test('a Linux capture with padding and DONE, as hex on the command line', () => {
    const bytes = hexFixture('ksync/spec-2.7-mpls-dump-linux-reply.hex')
    const decoded = runCli(['ksync', 'decode', '--flavour', 'linux', '--json', '--hex', toHex(bytes, ' ')])
    assert.equal(decoded.status, 0, decoded.stderr)
    assert.equal(runCli(['ksync', 'encode'], {input: decoded.stdout}).stdout.replace(/\s/g, ''), toHex(bytes))
  })

  test('a hand-written payload with enumeration names and left-out fields', () => {
    const json = JSON.stringify({objects: [{name: 'vr_mpls_req', fields: {h_op: 'DUMP', mr_marker: -1}}]})
    const r = runCli(['ksync', 'encode'], {input: json})
    assert.equal(r.stdout.trim(), readFileSync(`${GOLDEN}/ksync/spec-1.13-mpls-dump-request-payload.hex`, 'utf8').split('\n').filter((l) => !l.startsWith('#')).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean).join(' '))
  })
})

describe('bad input: one line, a code, non-zero exit, no stack trace', () => {
  const reply = readFileSync(`${PEER}/mpls-dump/reply-0.bin`)
  const oneLine = (stderr: string) => {
    assert.equal(stderr.split('\n').filter(Boolean).length, 1, stderr)
    assert.doesNotMatch(stderr, /\s+at\s+\S+\s+\(|node:internal/)
  }

  test('truncated frame', () => {
    const r = runCli(['ksync', 'decode', '--hex', toHex(reply.subarray(0, 70))])
    assert.equal(r.status, 1)
    assert.equal(r.stdout, '')
    oneLine(r.stderr)
    assert.match(r.stderr, /^ksync decode: TRUNCATED at offset 54: /)
  })

  test('garbage inside a payload', () => {
    const bad = Buffer.from(reply)
    bad[54 + 24 + 4] = 0x41 // corrupt the first object's name
    const r = runCli(['ksync', 'decode', '--hex', toHex(bad)])
    assert.equal(r.status, 1)
    oneLine(r.stderr)
    assert.match(r.stderr, /^ksync decode: UNKNOWN_OBJECT at offset 78: /)
  })

  test('an absurd netlink length', () => {
    const r = runCli(['ksync', 'decode', '--hex', 'ff ff ff 7f 20 00 01 00 00 00 00 00 00 00 00 00 01 00 00 00'])
    assert.equal(r.status, 1)
    oneLine(r.stderr)
    assert.match(r.stderr, /^ksync decode: BAD_FRAME_LENGTH at offset 0: /)
  })

  test('text that is not hex', () => {
    const r = runCli(['ksync', 'decode', '--hex', 'hello'])
    assert.equal(r.status, 1)
    oneLine(r.stderr)
    assert.match(r.stderr, /BAD_HEX/)
  })

  test('JSON that is not JSON, and JSON with an unknown field', () => {
    const notJson = runCli(['ksync', 'encode'], {input: '{"objects": ['})
    assert.equal(notJson.status, 1)
    oneLine(notJson.stderr)
    assert.match(notJson.stderr, /^ksync encode: not valid JSON/)
    const unknown = runCli(['ksync', 'encode'], {input: JSON.stringify({objects: [{name: 'vr_mpls_req', fields: {mr_lable: 3}}]})})
    assert.equal(unknown.status, 1)
    oneLine(unknown.stderr)
    assert.match(unknown.stderr, /^ksync encode: \$\.objects\[0\]\.fields\.mr_lable: vr_mpls_req has no field "mr_lable"/)
    const range = runCli(['ksync', 'encode'], {input: JSON.stringify({objects: [{name: 'vr_mpls_req', fields: {mr_rid: 70000}}]})})
    assert.equal(range.status, 1)
    assert.match(range.stderr, /mr_rid: 70000 is out of range for i16/)
  })

  test('a file that does not exist', () => {
    const r = runCli(['ksync', 'decode', '--file', '/nonexistent/capture.bin'])
    assert.equal(r.status, 1)
    oneLine(r.stderr)
    assert.match(r.stderr, /cannot read \/nonexistent\/capture.bin/)
  })

  test('usage errors exit 2', () => {
    assert.equal(runCli(['ksync', 'decode', '--bogus']).status, 2)
    assert.equal(runCli(['ksync', 'decode', '--flavour', 'solaris', '--hex', '00']).status, 2)
  })
})

test('help has examples', () => {
  const r = runCli(['ksync', 'decode', '--help'])
  assert.equal(r.status, 0)
  assert.match(r.stdout, /EXAMPLES/)
  assert.match(r.stdout, /--annotate/)
})

test('a link named after a command runs that command', () => {
  assert.deepEqual(commandLine('/usr/local/bin/help', ['ksync']), ['help', 'ksync'])
  assert.deepEqual(commandLine('/opt/vrouter-utils/bin/run.js', ['ksync', 'decode']), ['ksync', 'decode'])
  assert.deepEqual(commandLine('C:\\tools\\help.exe', []), ['help'])
})

test('--version and the version in package.json agree', async () => {
  const {VERSION} = await import('../../src/version.js')
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}
  assert.equal(VERSION, pkg.version)
  assert.match(runCli(['--version']).stdout, new RegExp(`^vrouter-utils ${VERSION.replaceAll('.', '\\.')} \\(`))
})
