/**
 * A ksync client: requests numbered as every stock tool numbers them (the sequence number counts the messages sent,
 * from 0), replies collected per sequence number until the message that ends the batch, dumps followed page by page
 * through their markers. Requests may be pipelined (several sent before the first reply; the forwarding plane serves
 * a connection in order). The same client talks to the emulator and to a real vRouter; it is given a connected byte
 * stream.
 */
import type {Duplex} from 'node:stream'
import {VrouterError} from '../errors.js'
import {codecFor} from '../sandesh/codec.js'
import type {MessageName, SandeshObject, Variant} from '../sandesh/schema.js'
import {DUMP_INCOMPLETE} from '../sandesh/types.js'
import {connectStream, TransportError} from '../transport/endpoint.js'
import {dumpRule} from './dump.js'
import {
  ENVELOPE_LENGTH,
  type Flavour,
  FrameParser,
  type NetlinkMessage,
  NLM_F_MULTI,
  defaultMaxMessageLength,
  encodeRequest,
} from './frame.js'

export interface ClientOptions {
  /** Framing of the replies (how a batch ends, padding, limits). */
  readonly flavour: Flavour
  /** nlmsg_type of requests: 0x20 on the DPDK socket, 0 in vtest mode (--sock-dir), 1 on Windows, resolved on Linux. */
  readonly family: number
  /** How long to wait for a reply batch (some requests get none). */
  readonly timeoutMs?: number
  readonly variant?: Variant
  /** The first request's sequence number: 1 on netlink, where the family lookup took 0. */
  readonly firstSeq?: number
}

/** One reply message: its flags and objects. */
export interface ReplyMessage {
  readonly flags: number
  readonly objects: readonly SandeshObject[]
}

interface Pending {
  readonly seq: number
  readonly messages: ReplyMessage[]
  readonly resolve: (messages: ReplyMessage[]) => void
  readonly reject: (error: Error) => void
  /** performance.now() past which it fails with TIMEOUT. */
  readonly deadline: number
}

export class KsyncClient {
  private readonly parser: FrameParser
  private readonly codec
  private seq: number
  private readonly pending = new Map<number, Pending>()
  private failure: Error | undefined
  /**
   * One timer watches every pending request's deadline, re-armed only when it fires and holding the process open only
   * while something is pending: a timer made and cleared per request cost a quarter of a GET's own work.
   */
  private watchdog: NodeJS.Timeout | undefined
  readonly timeoutMs: number
  /** Who listen()s for the messages that answer no request. */
  private listener: {onMessage: (objects: readonly SandeshObject[]) => void; reject: (error: Error) => void} | undefined
  /** nlmsg_len of the last Sandesh reply message received (0 before any): the stock qosmap exits with it. */
  lastReplyLength = 0

  constructor(
    /** A stream that receives only while something is awaited says when that starts without a request (awaken). */
    private readonly stream: Duplex & {awaken?: () => void},
    private readonly options: ClientOptions,
  ) {
    this.codec = codecFor(options.variant ?? 'current')
    this.seq = options.firstSeq ?? 0
    this.timeoutMs = options.timeoutMs ?? 5000
    this.parser = new FrameParser({maxMessageLength: defaultMaxMessageLength(options.flavour), align: options.flavour === 'linux'})
    stream.on('data', (chunk: Buffer) => this.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)))
    stream.on('error', (error) => this.fail(error instanceof TransportError ? error : new TransportError('IO', error.message)))
    stream.on('close', () => this.fail(new TransportError('CLOSED', 'the forwarding plane closed the connection')))
  }

  /** Connects to a Unix socket or named pipe. */
  static async connect(path: string, options: ClientOptions): Promise<KsyncClient> {
    return new KsyncClient(await connectStream(path, options.timeoutMs), options)
  }

  close(): void {
    clearTimeout(this.watchdog)
    this.watchdog = undefined
    this.stream.destroy()
  }

  /** Whether a reply, or a notification, is awaited (a transport read without the event loop reads only then). */
  get awaiting(): boolean {
    return this.pending.size > 0 || this.listener !== undefined
  }

  /** Sends one message carrying `objects` and resolves with the reply messages of its batch. */
  exchange(objects: readonly SandeshObject[]): Promise<ReplyMessage[]> {
    if (this.failure) return Promise.reject(this.failure)
    const seq = this.seq++
    return new Promise((resolve, reject) => {
      this.pending.set(seq, {seq, messages: [], resolve, reject, deadline: performance.now() + this.timeoutMs})
      if (this.watchdog === undefined) this.watchdog = setTimeout(() => this.expire(), this.timeoutMs)
      else this.watchdog.ref()
      this.stream.write(encodeRequest(this.codec.encode(...objects), {family: this.options.family, seq}))
    })
  }

  /** Fails the requests past their deadline; watches on while others are pending. */
  private expire(): void {
    this.watchdog = undefined
    const now = performance.now()
    let next = Infinity
    for (const p of [...this.pending.values()]) {
      if (p.deadline <= now) this.settle(p.seq, undefined, new TransportError('TIMEOUT', `no reply within ${this.timeoutMs} ms`))
      else next = Math.min(next, p.deadline)
    }
    if (next !== Infinity) this.watchdog = setTimeout(() => this.expire(), next - now)
  }

  /**
   * Sends one request object; resolves with the reply objects (vr_response first). A negative resp_code rejects with
   * a VrouterError.
   */
  async request(object: SandeshObject): Promise<SandeshObject[]> {
    const messages = await this.exchange([object])
    const objects = messages.length === 1 ? (messages[0].objects as SandeshObject[]) : messages.flatMap((m) => m.objects)
    const response = objects[0]
    if (response?.name !== 'vr_response') throw new TransportError('IO', `the reply does not start with vr_response (${response?.name ?? 'nothing'})`)
    if (response.fields.resp_code < 0) throw new VrouterError(response.fields.resp_code, this.options.flavour === 'windows')
    return objects
  }

  /** GET: the object the forwarding plane returns (the first after vr_response). */
  async get<N extends MessageName>(object: SandeshObject<N>): Promise<SandeshObject<N>> {
    const reply = (await this.request(object))[1]
    if (!reply) throw new TransportError('IO', `no object in the reply to ${object.name}`)
    return reply as SandeshObject<N>
  }

  /**
   * DUMP: every object, page after page. The first request gets the message's start marker (unless `resume` says the
   * request already carries the marker to resume after), each next request the marker taken from the last object.
   */
  async *dump<N extends MessageName>(request: SandeshObject<N>, options: {resume?: boolean} = {}): AsyncGenerator<SandeshObject, void, undefined> {
    for await (const page of this.dumpPages(request, options)) yield* page
  }

  /**
   * DUMP, a page at a time (for long dumps: no per-object hand-over). The next page is asked for as soon as a page
   * has arrived, before the caller works on it, so the forwarding plane prepares it meanwhile.
   */
  async *dumpPages<N extends MessageName>(request: SandeshObject<N>, options: {resume?: boolean} = {}): AsyncGenerator<readonly SandeshObject[], void, undefined> {
    const rule = dumpRule(request.name)
    let fields = {...(request.fields as Record<string, unknown>)}
    if (rule && !options.resume) Object.assign(fields, rule.start(fields))
    let next: Promise<SandeshObject[]> | undefined = this.request({name: request.name, fields} as SandeshObject)
    while (next) {
      const objects = await next
      const code = (objects[0] as SandeshObject<'vr_response'>).fields.resp_code
      const page = objects.slice(1)
      next = undefined
      if (code & DUMP_INCOMPLETE && page.length > 0 && rule) {
        fields = {...fields, ...rule.next(page.at(-1)!.fields as Record<string, unknown>, fields)}
        next = this.request({name: request.name, fields} as SandeshObject)
        // Settled by the loop's next turn; an error of a request nobody waits for any more must not go unhandled.
        next.catch(() => undefined)
      }
      yield page
    }
  }

  /**
   * Hands `onMessage` the objects of each message that answers no request — the kernel's multicasts to a group the
   * connection joined (rt --monitor) — in order; rejects with why when the connection fails or closes.
   */
  listen(onMessage: (objects: readonly SandeshObject[]) => void): Promise<never> {
    if (this.failure) return Promise.reject(this.failure)
    const listening = new Promise<never>((_, reject) => (this.listener = {onMessage, reject}))
    this.stream.awaken?.()
    return listening
  }

  private receive(chunk: Uint8Array): void {
    let messages: NetlinkMessage[]
    try {
      messages = this.parser.push(chunk)
    } catch (error) {
      this.fail(error as Error)
      this.stream.destroy()
      return
    }
    for (const m of messages) this.accept(m)
  }

  private accept(m: NetlinkMessage): void {
    const p = this.pending.get(m.seq)
    // Linux multicasts (seq 0, pid 0 while nothing waits for seq 0) and late replies to a timed-out request answer
    // no request: notifications, when someone listens.
    if (!p) return this.notification(m)
    if (m.kind === 'error') return this.settle(m.seq, undefined, new TransportError('IO', `netlink error ${m.error}`))
    if (m.kind === 'sandesh') {
      this.lastReplyLength = ENVELOPE_LENGTH + m.payload.length + m.padding.length
      try {
        p.messages.push({flags: m.flags, objects: this.codec.decodePayload(m.payload)})
      } catch (error) {
        return this.settle(m.seq, undefined, error as Error)
      }
    }
    if (m.kind === 'done' || !(m.flags & NLM_F_MULTI)) this.settle(m.seq, p.messages)
  }

  private notification(m: NetlinkMessage): void {
    if (!this.listener || m.kind !== 'sandesh') return
    let objects: SandeshObject[]
    try {
      objects = this.codec.decodePayload(m.payload)
    } catch (error) {
      return this.fail(error as Error)
    }
    this.listener.onMessage(objects)
  }

  private settle(seq: number, messages: ReplyMessage[] | undefined, error?: Error): void {
    const p = this.pending.get(seq)
    if (!p) return
    this.pending.delete(seq)
    if (this.pending.size === 0) this.watchdog?.unref()
    if (error) p.reject(error)
    else p.resolve(messages!)
  }

  private fail(error: Error): void {
    this.failure ??= error
    this.listener?.reject(this.failure)
    this.listener = undefined
    for (const seq of [...this.pending.keys()]) this.settle(seq, undefined, this.failure)
  }
}
