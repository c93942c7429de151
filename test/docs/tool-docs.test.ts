/**
 * The examples of docs/tools/*.md, run: each page's commands in order against a fresh demo emulator (pages four
 * at a time), every output compared byte for byte. After a deliberate output change: `npm run docs:examples`.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, test} from 'node:test'
import {PAGES, examplePages, parsePage, rewritePage, runPage} from './tool-docs.js'

/** The stock-compatible tools, each with its page (flow's is written apart). */
const TOOLS = ['vif', 'rt', 'nh', 'mpls', 'vxlan', 'mirror', 'vrftable', 'vrfstats', 'vrmemstats', 'dropstats', 'vrouter', 'qosmap', 'vrinfo', 'dpdkinfo']

test('every tool has a page with examples, linked from docs/tools/README.md and from README.md', () => {
  const index = readFileSync(`${PAGES}/README.md`, 'utf8')
  const readme = readFileSync(`${PAGES}/../../README.md`, 'utf8')
  for (const tool of TOOLS) {
    const page = parsePage(readFileSync(`${PAGES}/${tool}.md`, 'utf8'), `${tool}.md`)
    const examples = page.blocks.flatMap((b) => b.examples)
    assert.ok(examples.length >= 3, `${tool}.md has ${examples.length} examples`)
    assert.ok(index.includes(`](${tool}.md)`), `docs/tools/README.md links ${tool}.md`)
    assert.ok(readme.includes(`](docs/tools/${tool}.md)`), `README.md links docs/tools/${tool}.md`)
  }
})

test('a page rewritten with its own outputs is the same page', () => {
  const text = 'intro\n```console\n$ vrouter-utils a\none\n\n$ vrouter-utils b\n```\n\n```console\n$ vrouter-utils c\nthree\n```\n'
  const page = parsePage(text, 'x.md')
  assert.deepEqual(page.blocks.flatMap((b) => b.examples.map((e) => [e.line, e.command, e.output])), [
    [3, 'vrouter-utils a', 'one\n\n'],
    [6, 'vrouter-utils b', ''],
    [10, 'vrouter-utils c', 'three\n'],
  ])
  assert.equal(rewritePage(page, ['one\n\n', '', 'three\n']), text)
  assert.equal(rewritePage(page, ['1\n', '2\n2\n', '']), 'intro\n```console\n$ vrouter-utils a\n1\n$ vrouter-utils b\n2\n2\n```\n\n```console\n$ vrouter-utils c\n```\n')
  assert.throws(() => parsePage('```console\nstray\n```\n', 'y.md'), /y\.md:2: a console block must begin with a command/)
})

describe('docs/tools examples', {concurrency: 4}, () => {
  for (const name of examplePages()) {
    test(name, async () => {
      const page = parsePage(readFileSync(`${PAGES}/${name}`, 'utf8'), name)
      for (const {example, status, stdout, stderr} of await runPage(page)) {
        const where = `docs/tools/${name}:${example.line}: ${example.command}`
        assert.equal(stdout, example.output, `${where}: the output differs (npm run docs:examples rewrites it)`)
        assert.equal(stderr, '', `${where}: nothing may reach stderr`)
        assert.equal(status, 0, `${where}: a status other than 0 must be shown (; echo "exit $?")`)
      }
    })
  }
})
