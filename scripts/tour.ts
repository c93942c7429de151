// `npm start`: a short tour of what exists so far, run for real against the bundled sample frames (test/golden and
// the stock-tool captures in test/fixtures/peer). Each step prints the command as an operator would type it.
import {spawnSync} from 'node:child_process'

const bin = 'vrouter-utils'
const steps: {say: string; argv: string[]; input?: string; pipeFrom?: string[]}[] = [
  {
    say: 'A request the stock `mpls --dump` sent (captured on a vRouter socket), decoded: envelope, then every field by name.',
    argv: ['ksync', 'decode', '--file', 'test/fixtures/peer/mpls-dump/request-0.bin'],
  },
  {
    say: 'The reply it got: a vr_response announcing 3 objects, then the page of 3 labels (non-zero fields only).',
    argv: ['ksync', 'decode', '--file', 'test/fixtures/peer/mpls-dump/reply-0.bin', '--nonzero'],
  },
  {
    say: 'A Linux generic-netlink reply pasted as hex: MULTI on every message, 4-byte padding, then NLMSG_DONE.',
    argv: ['ksync', 'decode', '--flavour', 'linux', '--file', 'test/golden/ksync/spec-2.7-mpls-dump-linux-reply.hex'],
  },
  {
    say: 'Which byte is which: the same request as annotated hex (the format of the test fixtures).',
    argv: ['ksync', 'decode', '--annotate', '--file', 'test/fixtures/peer/mpls-dump/request-0.bin'],
  },
  {
    say: 'Write a request by hand as JSON and get its exact bytes (fields left out are zero, as the C writer does).',
    argv: ['ksync', 'encode'],
    input: JSON.stringify({objects: [{name: 'vr_mpls_req', fields: {h_op: 'GET', mr_label: 16}}]}),
  },
  {
    say: 'Bad bytes get one line with an error code and the offset, and a non-zero exit status.',
    argv: ['ksync', 'decode', '--hex', '36 00 00 00 20 00 02 00 00 00 00 00 00 00 00 00 01 00 00 00 1e 00 01 00 00 00 00 0b 76 72'],
  },
]

for (const step of steps) {
  const shown = step.argv.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')
  console.log(`\n# ${step.say}`)
  console.log(`$ ${step.input ? `echo '${step.input}' | ` : ''}${bin} ${shown}`)
  const r = spawnSync(process.execPath, ['bin/run.js', ...step.argv], {input: step.input ?? '', encoding: 'utf8'})
  process.stdout.write(r.stdout)
  process.stdout.write(r.stderr)
  if (r.status !== 0) console.log(`(exit status ${r.status})`)
}
console.log(`\nMore: ${bin} --help, ${bin} ksync decode --help, docs/ksync.md. The emulator and the tools come next.`)
