/**
 * Reference counts as the forwarding plane keeps them: a next hop is held by its table slot, by every route-table
 * slot pointing at it, by bridge entries, MPLS labels, VXLAN VNIs, mirrors, composite member slots and indirect
 * parents; an interface by its table slot, by next hops sending through it, by VLAN children and VRF HBF sides.
 * Kept incrementally, so that GET and DUMP report them without scanning.
 */
export class RefCounts {
  private readonly nexthops = new Map<number, number>()
  private readonly interfaces = new Map<number, number>()

  nexthop(id: number, delta: number): void {
    this.nexthops.set(id, (this.nexthops.get(id) ?? 0) + delta)
  }

  interface(idx: number, delta: number): void {
    this.interfaces.set(idx, (this.interfaces.get(idx) ?? 0) + delta)
  }

  /** Holders of next hop `id` besides its table slot. */
  nexthopUsers(id: number): number {
    return this.nexthops.get(id) ?? 0
  }

  /** Holders of interface `idx` besides its table slot. */
  interfaceUsers(idx: number): number {
    return this.interfaces.get(idx) ?? 0
  }
}
