import {Args} from '@oclif/core'
import {readFile} from 'node:fs/promises'
import {BaseCommand} from '../../cli/base-command.js'
import {InputError} from '../../cli/exit.js'
import {ScenarioError, loadScenario} from '../../emulator/scenario/load.js'
import {summary} from './start.js'

export default class EmulatorValidate extends BaseCommand {
  static override summary = 'Check a scenario file: syntax, keys and values, references, and what the forwarding plane would refuse'

  static override description = `Loads the scenario exactly as \`emulator start --scenario\` does, without serving it. Prints what it
holds, or one line with the file, line and column of the first problem.

Exit status: 0 valid; 1 not valid.`

  static override examples = ['<%= config.bin %> <%= command.id %> lab.yaml']

  static override args = {file: Args.string({description: 'scenario file (YAML or JSON)', required: true, ignoreStdin: true})}

  async run(): Promise<void> {
    const {args} = await this.parse(EmulatorValidate)
    let text: string
    try {
      text = await readFile(args.file, 'utf8')
    } catch (error) {
      throw new InputError(`cannot read ${args.file}: ${(error as Error).message.replace(/^[A-Z]+: /, '')}`)
    }
    try {
      this.log(`${args.file}: valid; ${summary(loadScenario(text, args.file))}`)
    } catch (error) {
      throw error instanceof ScenarioError ? new InputError(error.message) : error
    }
  }
}
