#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm run build`), or the TypeScript sources through tsx in a checkout.
import {existsSync} from 'node:fs'

const built = new URL('../dist/cli/main.js', import.meta.url)
let main
if (existsSync(built)) {
  ;({main} = await import(built.href))
} else {
  const {register} = await import('tsx/esm/api')
  register()
  ;({main} = await import(new URL('../src/cli/main.ts', import.meta.url).href))
}
await main()
