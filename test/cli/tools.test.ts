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
