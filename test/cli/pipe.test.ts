import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, test} from 'node:test'
import {fileURLToPath} from 'node:url'
import {DEFAULT_CONFIG} from '../../src/emulator/state/config.js'
import {make} from '../../src/emulator/state/common.js'
import {Flows} from '../../src/emulator/state/flows.js'
import {TableDirectory} from '../../src/emulator/tables/shared-file.js'
import {defaultOverflow} from '../../src/lib/shm/hash.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'pipe-'))
after(() => rmSync(dir, {recursive: true, force: true}))

/** A flow table with `count` flows: far more text than a pipe holds. */
function table(count: number): string {
  const flows = new Flows({...DEFAULT_CONFIG, flowEntries: 4096, flowOverflowEntries: defaultOverflow(4096)}, new TableDirectory(dir))
  for (let i = 0; i < count; i++) {
    flows.handle(make('vr_flow_req', {fr_op: 0, fr_index: -1, fr_family: 2, fr_flags: 1, fr_action: 2, fr_flow_proto: 6, fr_flow_sport: i, fr_flow_dport: 80, fr_flow_vrf: 1, fr_flow_sip_l: 0x0100000a + i, fr_flow_dip_l: 0x0200000a} as never))
  }
  const {ftable_file_path: path} = flows.tableData()[0][1].fields as {ftable_file_path: string}
  flows.file.close()
  return path
}

test('a reader that goes away (| head) ends the run quietly, with the status the stock tool gets from SIGPIPE', async () => {
  const child = spawn(process.execPath, [`${ROOT}bin/run.js`, 'flow', '-l', '--json', '--file', table(2000)], {stdio: ['ignore', 'pipe', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  // Read one chunk, then go away as head does.
  await new Promise((resolve) => child.stdout.once('data', resolve))
  child.stdout.destroy()
  const status = await new Promise((resolve) => child.once('close', resolve))
  assert.equal(stderr, '')
  assert.equal(status, 141)
})
