// Writes docs/scenario.schema.json from the Sandesh schema (npm run update-golden runs it too); a test keeps it current.
import {writeFileSync} from 'node:fs'
import {scenarioSchema} from '../src/emulator/scenario/sections.js'

writeFileSync('docs/scenario.schema.json', `${JSON.stringify(scenarioSchema(), null, 2)}\n`)
console.log('wrote docs/scenario.schema.json')
