/**
 * Every command of the suite, by oclif id (topic parts joined with ':'), each loaded only when it runs: a stock tool
 * then evaluates its own modules and nothing else (no oclif, no emulator), which is most of its start-up time.
 */
export const COMMAND_LOADERS = {
  help: async () => (await import('@oclif/plugin-help')).commands.help,
  completion: async () => (await import('../commands/completion.js')).default,
  doctor: async () => (await import('../commands/doctor.js')).default,
  dpdkinfo: async () => (await import('../commands/dpdkinfo.js')).default,
  dropstats: async () => (await import('../commands/dropstats.js')).default,
  'emulator:inject': async () => (await import('../commands/emulator/inject.js')).default,
  'emulator:save': async () => (await import('../commands/emulator/save.js')).default,
  'emulator:start': async () => (await import('../commands/emulator/start.js')).default,
  'emulator:validate': async () => (await import('../commands/emulator/validate.js')).default,
  flow: async () => (await import('../commands/flow.js')).default,
  'install-links': async () => (await import('../commands/install-links.js')).default,
  'ksync:decode': async () => (await import('../commands/ksync/decode.js')).default,
  'ksync:encode': async () => (await import('../commands/ksync/encode.js')).default,
  'ksync:request': async () => (await import('../commands/ksync/request.js')).default,
  mirror: async () => (await import('../commands/mirror.js')).default,
  mpls: async () => (await import('../commands/mpls.js')).default,
  nh: async () => (await import('../commands/nh.js')).default,
  'pkt0:capture': async () => (await import('../commands/pkt0/capture.js')).default,
  'pkt0:decode': async () => (await import('../commands/pkt0/decode.js')).default,
  'pkt0:send': async () => (await import('../commands/pkt0/send.js')).default,
  qosmap: async () => (await import('../commands/qosmap.js')).default,
  rt: async () => (await import('../commands/rt.js')).default,
  vif: async () => (await import('../commands/vif.js')).default,
  vrfstats: async () => (await import('../commands/vrfstats.js')).default,
  vrmemstats: async () => (await import('../commands/vrmemstats.js')).default,
  vrftable: async () => (await import('../commands/vrftable.js')).default,
  vrinfo: async () => (await import('../commands/vrinfo.js')).default,
  vrouter: async () => (await import('../commands/vrouter.js')).default,
  vxlan: async () => (await import('../commands/vxlan.js')).default,
} as const satisfies Record<string, () => Promise<unknown>>

export type CommandId = keyof typeof COMMAND_LOADERS

export function isCommandId(name: string): name is CommandId {
  return Object.hasOwn(COMMAND_LOADERS, name)
}

/** Every command class by id (for oclif's command list, completion and links). */
export async function loadCommands(): Promise<Record<CommandId, unknown>> {
  const loaded = await Promise.all(Object.entries(COMMAND_LOADERS).map(async ([id, load]) => [id, await load()] as const))
  return Object.fromEntries(loaded) as Record<CommandId, unknown>
}
