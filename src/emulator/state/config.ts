/** Table sizes of the emulated forwarding plane (the vRouter's defaults; a scenario may change them). */
export interface VrouterConfig {
  readonly interfaces: number
  readonly nexthops: number
  readonly mplsLabels: number
  readonly mirrors: number
  readonly vrfs: number
  readonly bridgeEntries: number
  readonly bridgeOverflowEntries: number
  readonly flowEntries: number
  readonly flowOverflowEntries: number
  readonly qosMaps: number
  readonly fcMaps: number
  /** VLANs per service interface for VRF assignment (VIF_VRF_TABLE_ENTRIES). */
  readonly vlans: number
  /** Forwarding cores, for per-core statistics. */
  readonly cores: number
}

export const DEFAULT_CONFIG: VrouterConfig = {
  interfaces: 256 + 4096 + 3,
  nexthops: 524288,
  mplsLabels: 5120,
  mirrors: 255,
  vrfs: 4096,
  bridgeEntries: 262144,
  bridgeOverflowEntries: 53248,
  flowEntries: 524288,
  flowOverflowEntries: 105472,
  qosMaps: 4096,
  fcMaps: 256,
  vlans: 1024,
  cores: 2,
}
