// Enforces the import directions of docs/architecture.md: each part of the tree may import only the parts its row
// allows ("types" = `import type` only). Run by `npm test`; exits 1 listing every violation.
import {readFileSync, readdirSync} from 'node:fs'
import {dirname, join, normalize, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

/** Part → parts it may import. `lib/errors` and a part's own files are always allowed. */
export const RULES = {
  bin: ['cli'],
  entry: ['cli'],
  cli: ['commands', 'commands/emulator', 'lib/*', 'version'],
  commands: ['cli', 'lib/*'],
  'commands/emulator': ['cli', 'lib/*', 'emulator'],
  'lib/sandesh': [],
  'lib/native': [],
  'lib/transport': ['lib/native'],
  'lib/ksync': ['lib/sandesh', 'lib/transport'],
  'lib/shm': ['lib/model', 'lib/native'],
  'lib/pkt0': ['lib/model'],
  'lib/model': ['lib/sandesh:types'],
  'lib/render': ['lib/model', 'lib/sandesh', 'lib/ksync:types'],
  emulator: ['lib/sandesh', 'lib/transport', 'lib/ksync', 'lib/shm', 'lib/pkt0', 'lib/model'],
  version: [],
}

/** The part a file (path relative to the project root, '/'-separated) belongs to, or undefined outside src/ and bin/. */
export function partOf(file) {
  if (file.startsWith('bin/')) return 'bin'
  if (!file.startsWith('src/')) return undefined
  const parts = file.slice(4).split('/')
  if (parts.length === 1) return parts[0].replace(/\.[cm]?[jt]s$/, '')
  if (parts[0] === 'lib') return `lib/${parts[1].replace(/\.[cm]?[jt]s$/, '')}`
  if (parts[0] === 'commands' && parts[1] === 'emulator') return 'commands/emulator'
  return parts[0]
}

function allowed(from, to, typeOnly) {
  if (from === to || to === 'lib/errors') return true
  return (RULES[from] ?? []).some((rule) => {
    const [target, mode] = rule.split(':')
    const matches = target === to || (target === 'lib/*' && to.startsWith('lib/'))
    return matches && (mode !== 'types' || typeOnly)
  })
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

/** Every import of a source text: specifier and whether it is type-only. */
export function importsOf(text) {
  const found = []
  for (const m of text.matchAll(IMPORT)) found.push({specifier: m[3] ?? m[4], typeOnly: Boolean(m[2])})
  return found
}

function sourceFiles(root, dir) {
  let entries
  try {
    entries = readdirSync(join(root, dir), {withFileTypes: true})
  } catch {
    return []
  }
  return entries.flatMap((e) => {
    const path = `${dir}/${e.name}`
    if (e.isDirectory()) return sourceFiles(root, path)
    return /\.[cm]?[jt]s$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : []
  })
}

/** Violations in the tree at `root`: [{file, specifier, from, to}]. */
export function checkImports(root) {
  const violations = []
  for (const file of [...sourceFiles(root, 'src'), ...sourceFiles(root, 'bin')]) {
    const from = partOf(file)
    for (const {specifier, typeOnly} of importsOf(readFileSync(join(root, file), 'utf8'))) {
      if (!specifier.startsWith('.')) continue
      const target = normalize(join(dirname(file), specifier)).split(sep).join('/').replace(/\.js$/, '.ts')
      const to = partOf(target)
      if (to !== undefined && !allowed(from, to, typeOnly)) violations.push({file, specifier, from, to})
    }
  }
  return violations
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = relative(process.cwd(), join(dirname(fileURLToPath(import.meta.url)), '..')) || '.'
  const violations = checkImports(root)
  for (const v of violations) console.error(`${v.file}: imports ${v.specifier} — ${v.from} may not import ${v.to}`)
  if (violations.length > 0) process.exit(1)
  console.log('import directions: ok')
}
