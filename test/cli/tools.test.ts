/**
 * The stock-compatible tools against the stock tools' captures (test/fixtures/peer): with the same argv and the same
 * replies, our tool sends byte-identical requests, prints byte-identical stdout, and (with --legacy-exit) exits with
 * the same status.
 */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {peerCases} from '../helpers.js'
import {replay} from '../peer-server.js'
import {runCliAsync} from '../cli.js'

/** The captures our tools reproduce so far. */
const IMPLEMENTED = new Set(['mpls-dump', 'dropstats'])

describe('byte for byte with the stock tools', () => {
  for (const c of peerCases().filter((p) => IMPLEMENTED.has(p.name))) {
    test(c.name, async () => {
      const server = await replay(c)
      try {
        const argv = c.argv.split(' ').map((a) => a.replace('SOCKDIR', server.dir))
        const r = await runCliAsync([...argv, '--legacy-exit'])
        assert.equal(r.stdout, c.stdout.replaceAll('SOCKDIR', server.dir))
        assert.equal(r.status, c.exit)
        assert.deepEqual(server.requests.map((b) => Buffer.from(b).toString('hex')), c.requests.map((b) => Buffer.from(b).toString('hex')))
      } finally {
        await server.close()
      }
    })
  }
})
