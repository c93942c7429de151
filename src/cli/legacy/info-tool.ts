/**
 * The tools that print the forwarding plane's own reports (`dpdkinfo`, `vrinfo`): one vr_info_req dump per run,
 * whose replies carry pre-formatted text, printed as a C string as it comes.
 */
import {INFO_SECTIONS, type InfoSection, cString, infoJson} from '../../lib/render/dpdkinfo.js'
import {codecFor} from '../../lib/sandesh/codec.js'
import type {SandeshObject} from '../../lib/sandesh/schema.js'
import {SandeshOp} from '../../lib/sandesh/types.js'
import {LegacyTool, type Outcome} from './tool.js'

export abstract class InfoTool extends LegacyTool {
  /** Asks for one section (with its argument and the output buffer size) and prints the text, or wraps it in JSON. */
  protected async report(section: InfoSection, inbuf: string, buffer: number): Promise<Outcome> {
    const request = codecFor('current').defaults('vr_info_req', {
      h_op: SandeshOp.DUMP,
      vdu_msginfo: INFO_SECTIONS[section],
      vdu_outbufsz: buffer,
      vdu_inbuf: Array.from(new TextEncoder().encode(inbuf)),
    })
    const client = await this.connect()
    try {
      const chunks: Uint8Array[] = []
      for await (const o of client.dump(request)) {
        const text = cString((o as SandeshObject<'vr_info_req'>).fields.vdu_proc_info)
        if (this.json || this.table) chunks.push(text)
        else process.stdout.write(text)
      }
      if (this.json || this.table) this.objects().single(infoJson(section, Buffer.concat(chunks).toString('utf8')))
      return 'ok'
    } finally {
      client.close()
    }
  }
}
