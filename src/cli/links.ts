/**
 * `install-links`: the tool names as links to the one binary (symlinks on Unix, `.cmd` shims on Windows), recorded in
 * a manifest beside them so that `--uninstall` removes exactly what was made, and only while it still points at us.
 */
import {existsSync, lstatSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

export const MANIFEST = '.vrouter-utils-links.json'

export interface LinkPlan {
  readonly dir: string
  /** What the links run: the binary (or bin/run.js in a checkout). */
  readonly target: string
  readonly names: readonly string[]
  readonly windows: boolean
}

export interface LinkReport {
  readonly made: string[]
  /** Names left alone because something else has them. */
  readonly skipped: string[]
  readonly removed: string[]
}

const fileOf = (plan: LinkPlan, name: string) => join(plan.dir, plan.windows ? `${name}.cmd` : name)
const shim = (target: string, name: string) => `@"${target}" ${name} %*\r\n`

/** Whether `file` is a link (or shim) of ours to `target`. */
function ours(plan: LinkPlan, name: string): boolean {
  const file = fileOf(plan, name)
  try {
    if (plan.windows) return readFileSync(file, 'utf8') === shim(plan.target, name)
    return lstatSync(file).isSymbolicLink() && readlinkSync(file) === plan.target
  } catch {
    return false
  }
}

function readManifest(dir: string): string[] {
  try {
    const names = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as {links?: unknown}
    return Array.isArray(names.links) ? names.links.filter((n): n is string => typeof n === 'string') : []
  } catch {
    return []
  }
}

export function installLinks(plan: LinkPlan): LinkReport {
  const recorded = new Set(readManifest(plan.dir))
  const report: LinkReport = {made: [], skipped: [], removed: []}
  for (const name of plan.names) {
    const file = fileOf(plan, name)
    if (ours(plan, name)) {
      recorded.add(name)
      continue
    }
    if (existsSync(file) || isDanglingLink(file)) {
      report.skipped.push(name)
      continue
    }
    if (plan.windows) writeFileSync(file, shim(plan.target, name))
    else symlinkSync(plan.target, file)
    recorded.add(name)
    report.made.push(name)
  }
  writeFileSync(join(plan.dir, MANIFEST), `${JSON.stringify({target: plan.target, links: [...recorded].sort()}, null, 2)}\n`)
  return report
}

export function uninstallLinks(plan: LinkPlan): LinkReport {
  const report: LinkReport = {made: [], skipped: [], removed: []}
  for (const name of readManifest(plan.dir)) {
    if (ours(plan, name)) {
      rmSync(fileOf(plan, name))
      report.removed.push(name)
    } else {
      report.skipped.push(name)
    }
  }
  rmSync(join(plan.dir, MANIFEST), {force: true})
  return report
}

function isDanglingLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}
