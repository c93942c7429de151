/** Live views: samples bounded by --count without a terminal; on a terminal, clear and redraw, keys, q quits. */
import assert from 'node:assert/strict'
import {EventEmitter} from 'node:events'
import {test} from 'node:test'
import {liveSettings, runLive} from '../../src/cli/live.js'
import {DumpProgress} from '../../src/cli/progress.js'

class FakeOutput extends EventEmitter {
  written: string[] = []
  constructor(readonly isTTY: boolean) {
    super()
  }

  write(text: string): boolean {
    this.written.push(text)
    return true
  }
}

class FakeTerminalInput extends EventEmitter {
  readonly isTTY = true
  raw: boolean[] = []
  setRawMode(on: boolean) {
    this.raw.push(on)
    return this
  }

  pause() {
    return this
  }
}

const streams = (tty: boolean) => ({output: new FakeOutput(tty) as unknown as NodeJS.WriteStream, input: new FakeTerminalInput() as unknown as NodeJS.ReadStream})

test('without a terminal: --count samples, one after the other, elapsed time given from the second on', async () => {
  const {output, input} = streams(false)
  const elapsed: number[] = []
  await runLive({sample: async (ms) => (elapsed.push(ms), `sample ${elapsed.length}\n`)}, {intervalMs: 20, count: 3, output, input})
  assert.deepEqual((output as unknown as FakeOutput).written, ['sample 1\n', 'sample 2\n', 'sample 3\n'])
  assert.equal(elapsed[0], 0, 'the first sample has no previous one')
  assert.ok(elapsed[1] > 0 && elapsed[2] > 0, `${elapsed}`)
  assert.deepEqual((input as unknown as FakeTerminalInput).raw, [], 'no terminal: stdin untouched')
})

test('on a terminal: clears and redraws, passes keys, q quits and restores the terminal', async () => {
  const {output, input} = streams(true)
  const keys: string[] = []
  let n = 0
  const done = runLive(
    {
      sample: async () => {
        n++
        if (n === 2) setImmediate(() => input.emit('data', Buffer.from('J')))
        if (n === 3) setImmediate(() => input.emit('data', Buffer.from('q')))
        return `screen ${n}\n`
      },
      onKey: (key) => keys.push(key),
    },
    {intervalMs: 60_000, output, input},
  )
  await done
  assert.equal(n, 3, 'J redrew at once (no 60 s wait), q stopped after the third screen')
  assert.deepEqual((output as unknown as FakeOutput).written, ['\x1b[H\x1b[2Jscreen 1\n', '\x1b[H\x1b[2Jscreen 2\n', '\x1b[H\x1b[2Jscreen 3\n'])
  assert.deepEqual(keys, ['j'], 'a key redraws at once, lower-cased')
  assert.deepEqual((input as unknown as FakeTerminalInput).raw, [true, false])
})

test('settings: --count and --interval checked', () => {
  assert.deepEqual(liveSettings('3', '0.5', 1), {count: 3, intervalMs: 500})
  assert.deepEqual(liveSettings(undefined, undefined, 2), {count: undefined, intervalMs: 2000})
  assert.match(liveSettings('0', undefined, 1) as string, /--count/)
  assert.match(liveSettings(undefined, '-1', 1) as string, /--interval/)
  assert.match(liveSettings(undefined, '', 1) as string, /--interval/)
})

test('dump progress: on stderr every N objects when stderr is a terminal and stdout is not, erased at the end', () => {
  const shown = new FakeOutput(true)
  const progress = new DumpProgress('rt: routes', 2, shown as unknown as NodeJS.WriteStream, false)
  for (let i = 0; i < 5; i++) progress.tick()
  progress.done()
  assert.deepEqual(shown.written, ['\rrt: routes: 2', '\rrt: routes: 4', '\r\x1b[K'])
  const onTerminal = new FakeOutput(true)
  const quiet = new DumpProgress('rt: routes', 2, onTerminal as unknown as NodeJS.WriteStream, true)
  for (let i = 0; i < 5; i++) quiet.tick()
  quiet.done()
  assert.deepEqual(onTerminal.written, [], 'output on the terminal itself: no progress')
})
