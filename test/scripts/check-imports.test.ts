/** The import-direction lint: the tree passes, and a crossing of each kind is caught. */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {test} from 'node:test'
// @ts-expect-error -- a plain .mjs script without type declarations
import {checkImports, importsOf, partOf} from '../../scripts/check-imports.mjs'
import {ROOT} from '../helpers.js'

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'imports-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), {recursive: true})
    writeFileSync(join(root, path), text)
  }
  return root
}

test('the project follows its import directions', () => {
  assert.deepEqual(checkImports(ROOT), [])
})

test('crossings are reported, allowed imports are not', () => {
  const root = tree({
    'src/lib/sandesh/codec.ts': "import {x} from '../ksync/frame.js'\nimport {DecodeError} from '../errors.js'\n",
    'src/lib/render/text.ts': "import {readFileSync} from 'node:fs'\nimport {y} from '../ksync/client.js'\nimport type {Z} from '../ksync/frame.js'\n",
    'src/lib/model/vif.ts': "import {codecFor} from '../sandesh/codec.js'\nimport type {SandeshObject} from '../sandesh/schema.js'\n",
    'src/commands/vif.ts': "import {Server} from '../emulator/server.js'\nexport {q} from '../lib/render/text.js'\n",
    'src/commands/emulator/start.ts': "import {Server} from '../../emulator/server.js'\n",
    'src/emulator/state.ts': "const r = await import('../lib/render/text.js')\n",
  })
  try {
    const found = checkImports(root).map((v: {file: string; to: string}) => `${v.file} -> ${v.to}`)
    assert.deepEqual(found.sort(), [
      'src/commands/vif.ts -> emulator',
      'src/emulator/state.ts -> lib/render',
      'src/lib/model/vif.ts -> lib/sandesh',
      'src/lib/render/text.ts -> lib/ksync',
      'src/lib/sandesh/codec.ts -> lib/ksync',
    ])
  } finally {
    rmSync(root, {recursive: true})
  }
})

test('parts and import forms', () => {
  assert.equal(partOf('src/lib/ksync/frame.ts'), 'lib/ksync')
  assert.equal(partOf('src/lib/errors.ts'), 'lib/errors')
  assert.equal(partOf('src/commands/emulator/start.ts'), 'commands/emulator')
  assert.equal(partOf('test/x.ts'), undefined)
  assert.deepEqual(importsOf("import type {A} from './a.js'\nexport * from './b.js'\nimport './c.js'"), [
    {specifier: './a.js', typeOnly: true},
    {specifier: './b.js', typeOnly: false},
    {specifier: './c.js', typeOnly: false},
  ])
})
