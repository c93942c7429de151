// Rewrites the outputs of the examples in docs/tools/*.md from the current CLI (`npm run docs:examples`, which
// builds first; `-- vif.md rt.md` for some pages only). A page whose examples fail (a status other than 0 they do not
// show, anything on stderr, an output a console block cannot hold) is left as it was. Review the diff before committing.
import {readFileSync, writeFileSync} from 'node:fs'
import {PAGES, examplePages, inParallel, parsePage, rewritePage, runPage, unwritable} from '../test/docs/tool-docs.js'

const names = process.argv.length > 2 ? process.argv.slice(2).map((a) => a.replace(/^.*\//, '')) : examplePages()
let failed = false
await inParallel(names, 4, async (name) => {
  const path = `${PAGES}/${name}`
  const page = parsePage(readFileSync(path, 'utf8'), name)
  const problems: string[] = []
  const outputs: string[] = []
  for (const {example, status, stdout, stderr} of await runPage(page)) {
    const where = `${name}:${example.line}: ${example.command}`
    if (status !== 0) problems.push(`${where}: exit ${status} (show it: ; echo "exit $?")`)
    if (stderr !== '') problems.push(`${where}: wrote to stderr (redirect it in the example): ${stderr.trimEnd()}`)
    const why = unwritable(stdout)
    if (why) problems.push(`${where}: ${why}`)
    outputs.push(stdout)
  }
  if (problems.length > 0) {
    failed = true
    console.error(problems.join('\n'))
    console.error(`${name}: left as it was`)
    return
  }
  const text = rewritePage(page, outputs)
  if (text === page.lines.join('\n')) console.log(`${name}: unchanged (${outputs.length} examples)`)
  else {
    writeFileSync(path, text)
    console.log(`${name}: rewrote the outputs of ${outputs.length} examples`)
  }
})
process.exitCode = failed ? 1 : 0
