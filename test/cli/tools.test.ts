/**
 * The stock-compatible tools against the stock tools' captures (test/fixtures/peer): with the same argv and the same
 * replies, our tool sends byte-identical requests, prints byte-identical stdout, and (with --legacy-exit) exits with
 * the same status.
 */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {peerCases} from '../helpers.js'
import {replay, withTablePath} from '../peer-server.js'
import {runCliAsync} from '../cli.js'

/** The captures our tools reproduce so far. */
const IMPLEMENTED = new Set(['mpls-dump', 'dropstats', 'vif-list', 'vif-list-multipage', 'err-vif-list-enoent', 'dpdk-vif-list', 'err-vif-no-server', 'nh-list', 'rt-dump-inet', 'flow-list', 'err-flow-list-enoent'])

/**
 * Captures without --sock-dir ran with platform=dpdk in the agent config (the fixed /var/run/vrouter socket): here
 * the same platform is forced with our --platform, and the socket given with --socket (output and requests unchanged).
 */
function argvFor(argv: string, dir: string, noServer: boolean): string[] {
  const words = argv.split(' ').map((a) => a.replace('SOCKDIR', noServer ? `${dir}/absent` : dir))
  return argv.includes('SOCKDIR') ? words : [...words, '--platform', 'dpdk', '--socket', `${dir}/dpdk_netlink`]
}

describe('byte for byte with the stock tools', () => {
  for (const c of peerCases().filter((p) => IMPLEMENTED.has(p.name))) {
    test(c.name, async () => {
      const server = await replay({replies: c.replies.map((r) => withTablePath(r, `${c.dir}/table.bin`))})
      try {
        const noServer = c.requests.length === 0
        const r = await runCliAsync([...argvFor(c.argv, server.dir, noServer), '--legacy-exit'])
        assert.equal(r.stdout, c.stdout.replaceAll('SOCKDIR', server.dir))
        assert.equal(r.status, c.exit)
        assert.deepEqual(server.requests.map((b) => Buffer.from(b).toString('hex')), c.requests.map((b) => Buffer.from(b).toString('hex')))
      } finally {
        await server.close()
      }
    })
  }
})

describe('--compat=strict: the stock command lines run as before, any option of ours is refused', () => {
  for (const c of peerCases().filter((p) => IMPLEMENTED.has(p.name) && p.argv.includes('SOCKDIR') && p.requests.length > 0)) {
    test(c.name, async () => {
      const server = await replay({replies: c.replies.map((r) => withTablePath(r, `${c.dir}/table.bin`))})
      try {
        const r = await runCliAsync([...argvFor(c.argv, server.dir, false), '--compat=strict'])
        assert.equal(r.stdout, c.stdout.replaceAll('SOCKDIR', server.dir))
        assert.deepEqual(server.requests.map((b) => Buffer.from(b).toString('hex')), c.requests.map((b) => Buffer.from(b).toString('hex')))
      } finally {
        await server.close()
      }
    })
  }

  test('an option of ours, or another --compat, is one line and exit 2, before anything is sent', async () => {
    const server = await replay({replies: []})
    try {
      const ours = await runCliAsync(['mpls', '--dump', '--json', '--compat=strict', '--sock-dir', server.dir])
      assert.deepEqual([ours.status, ours.stdout, ours.stderr], [2, '', 'mpls: --json is not an option of the stock mpls (--compat=strict)\n'])
      const fix = await runCliAsync(['rt', '--compat', 'strict', '--dump', '2', '--collapse', '--sock-dir', server.dir])
      assert.deepEqual([fix.status, fix.stderr], [2, 'rt: --collapse is not an option of the stock rt (--compat=strict)\n'])
      const other = await runCliAsync(['vif', '--list', '--compat=loose', '--sock-dir', server.dir])
      assert.deepEqual([other.status, other.stderr], [2, "vif: --compat takes 'strict', not 'loose'\n"])
      assert.equal(server.requests.length, 0)
    } finally {
      await server.close()
    }
  })
})
