/**
 * Progress of a long dump, on stderr, only when stderr is a terminal and stdout is not (output going to a file or a
 * pipe while someone watches): a count rewritten in place every `every` objects, erased at the end.
 */
export class DumpProgress {
  private count = 0
  private readonly shown: boolean

  constructor(
    private readonly label: string,
    private readonly every = 10000,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
    stdoutIsTerminal: boolean = process.stdout.isTTY === true,
  ) {
    this.shown = stderr.isTTY === true && !stdoutIsTerminal
  }

  tick(): void {
    if (++this.count % this.every === 0 && this.shown) this.stderr.write(`\r${this.label}: ${this.count}`)
  }

  done(): void {
    if (this.shown && this.count >= this.every) this.stderr.write('\r\x1b[K')
  }
}
