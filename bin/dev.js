#!/usr/bin/env node
// Always runs the TypeScript sources (through tsx), whatever is in dist/.
import {register} from 'tsx/esm/api'

register()
const {main} = await import(new URL('../src/cli/main.ts', import.meta.url).href)
await main()
