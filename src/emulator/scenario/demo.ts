/** The built-in demo scenario: one compute node (kept as text, so that it ships inside the single binary too). */
export const DEMO_SCENARIO = `# vrouter-utils demo: a compute node with two tenant VRFs.
description: >-
  compute-07: vhost0 on a 10G fabric NIC, pkt0 to the agent, four VMs in VRFs 2 (tenant-a) and 3 (tenant-b),
  MPLSoUDP tunnels to two peers, an ECMP service, VXLAN, a mirror to an analyzer.

interfaces:
  - idx: 0
    name: eth0
    type: physical
    transport: eth
    flags: [l3-enabled, l2-enabled, vhost-phys]
    mac: 00:1b:21:aa:bb:01
    os_idx: 2
    mtu: 9000
    speed: 10000
    duplex: 1
    ipackets: 9876543
    ibytes: 12345678901
    opackets: 8765432
    obytes: 9876543210
    ierrors: 2
  - idx: 1
    name: vhost0
    type: host
    transport: eth
    flags: [l3-enabled, l2-enabled, dhcp-enabled]
    mac: 00:1b:21:aa:bb:01
    ip: 192.168.10.7
    nh_id: 1
    mcast_vrf: 65535
    cross_connect_idx: [0]
    ipackets: 120044
    ibytes: 15600120
    opackets: 110052
    obytes: 14300987
  - idx: 2
    name: pkt0
    type: agent
    transport: socket
    flags: [l3-enabled, l2-enabled]
    ipackets: 5120
    ibytes: 471040
    opackets: 4988
    obytes: 398211
  - idx: 3
    name: tapa1b2c3d4-e5
    type: virtual
    transport: pmd
    vrf: 2
    mcast_vrf: 2
    flags: [policy-enabled, l3-enabled, l2-enabled, dhcp-enabled, unknown-uc-flood]
    mac: 00:00:5e:00:01:00
    ip: 10.1.1.5
    nh_id: 21
    ipackets: 42420
    ibytes: 4242000
    opackets: 31310
    obytes: 3131000
    drops:
      invalid_arp: 3
      flow_action_drop: 17
  - idx: 4
    name: tapb2c3d4e5-f6
    type: virtual
    transport: pmd
    vrf: 2
    mcast_vrf: 2
    flags: [policy-enabled, l3-enabled, l2-enabled, dhcp-enabled]
    mac: 00:00:5e:00:01:01
    ip: 10.1.1.6
    nh_id: 22
    ipackets: 1337
    ibytes: 133700
    opackets: 1200
    obytes: 120000
  - idx: 5
    name: tapc3d4e5f6-a7
    type: virtual
    transport: pmd
    vrf: 3
    mcast_vrf: 3
    flags: [policy-enabled, l3-enabled, l2-enabled, dhcp-enabled]
    mac: 00:00:5e:00:02:00
    ip: 172.16.5.10
    nh_id: 31
    ipackets: 777
    ibytes: 77700
    opackets: 650
    obytes: 65000
  - idx: 6
    name: tapd4e5f6a7-b8
    type: virtual
    transport: pmd
    vrf: 3
    mcast_vrf: 3
    flags: [policy-enabled, l3-enabled, l2-enabled, dhcp-enabled, mirror-rx]
    mir_id: 0
    mac: 00:00:5e:00:02:01
    ip: 172.16.5.11
    nh_id: 32
    ipackets: 90
    ibytes: 9000
    opackets: 88
    obytes: 8800

nexthops:
  - {id: 1, type: rcv, family: af-inet, flags: [valid], encap_oif_id: [1]}
  - {id: 2, type: resolve, family: af-inet, flags: [valid]}
  # MPLSoUDP tunnels to the two peer compute nodes.
  - id: 10
    type: tunnel
    family: af-inet
    flags: [valid, tunnel-udp-mpls]
    encap_oif_id: [0]
    encap: 00:1b:21:cc:dd:02 00:1b:21:aa:bb:01 08 00
    tun_sip: 192.168.10.7
    tun_dip: 192.168.10.8
  - id: 11
    type: tunnel
    family: af-inet
    flags: [valid, tunnel-udp-mpls]
    encap_oif_id: [0]
    encap: 00:1b:21:cc:dd:03 00:1b:21:aa:bb:01 08 00
    tun_sip: 192.168.10.7
    tun_dip: 192.168.10.9
  - id: 12
    type: tunnel
    family: af-inet
    flags: [valid, tunnel-vxlan]
    encap_oif_id: [0]
    encap: 00:1b:21:cc:dd:02 00:1b:21:aa:bb:01 08 00
    tun_sip: 192.168.10.7
    tun_dip: 192.168.10.8
  # Local VMs.
  - {id: 21, type: encap, family: af-inet, vrf: 2, flags: [valid, policy-enabled], encap_oif_id: [3], encap_family: 0x0806, encap: 00:00:5e:00:01:00 00:00:5e:00:01:00 08 00}
  - {id: 22, type: encap, family: af-inet, vrf: 2, flags: [valid, policy-enabled], encap_oif_id: [4], encap_family: 0x0806, encap: 00:00:5e:00:01:01 00:00:5e:00:01:01 08 00}
  - {id: 31, type: encap, family: af-inet, vrf: 3, flags: [valid, policy-enabled], encap_oif_id: [5], encap_family: 0x0806, encap: 00:00:5e:00:02:00 00:00:5e:00:02:00 08 00}
  - {id: 32, type: encap, family: af-inet, vrf: 3, flags: [valid, policy-enabled], encap_oif_id: [6], encap_family: 0x0806, encap: 00:00:5e:00:02:01 00:00:5e:00:02:01 08 00}
  # An ECMP service address behind a local VM and a remote one.
  - {id: 40, type: composite, family: af-inet, vrf: 2, flags: [valid, composite-ecmp], nh_list: [21, 10], label_list: [-1, 38], ecmp_config_hash: 0x1f}

routes:
  - {vrf_id: 0, prefix: 0.0.0.0/0, nh_id: 1}
  - {vrf_id: 0, prefix: 192.168.10.7/32, nh_id: 1}
  - {vrf_id: 0, prefix: 192.168.10.0/24, nh_id: 2}
  - {vrf_id: 2, prefix: 10.1.1.5/32, nh_id: 21, label_flags: [arp-proxy]}
  - {vrf_id: 2, prefix: 10.1.1.6/32, nh_id: 22, label_flags: [arp-proxy]}
  - {vrf_id: 2, prefix: 10.1.2.0/24, nh_id: 10, label: 38}
  - {vrf_id: 2, prefix: 10.1.3.0/24, nh_id: 11, label: 39}
  - {vrf_id: 2, prefix: 10.1.100.1/32, nh_id: 40}
  - {vrf_id: 2, prefix: fd00:10:1:1::5/128, nh_id: 21}
  - {vrf_id: 3, prefix: 172.16.5.10/32, nh_id: 31, label_flags: [arp-proxy]}
  - {vrf_id: 3, prefix: 172.16.5.11/32, nh_id: 32, label_flags: [arp-proxy]}
  - {vrf_id: 3, prefix: 172.16.6.0/24, nh_id: 12, label: 8192}
  - {vrf_id: 2, mac: 00:00:5e:00:01:00, nh_id: 21}
  - {vrf_id: 2, mac: 00:00:5e:00:01:01, nh_id: 22}
  - {vrf_id: 2, mac: 00:00:5e:00:09:01, nh_id: 10, label: 40}

mpls:
  - {label: 16, nhid: 21}
  - {label: 17, nhid: 22}
  - {label: 24, nhid: 31}
  - {label: 25, nhid: 32}

vxlan:
  - {vnid: 4097, nhid: 21}
  - {vnid: 8192, nhid: 31}

mirrors:
  - {index: 0, nhid: 11, vni: -1}

vrfs:
  - {idx: 2}
  - {idx: 3}

qos_maps:
  - {id: 1, dscp: [10, 18, 46], dscp_fc_id: [1, 2, 5]}

fc_maps:
  - {id: [1], dscp: [10], mpls_qos: [1], dotonep: [1], queue_id: [1]}
  - {id: [2], dscp: [18], mpls_qos: [2], dotonep: [2], queue_id: [2]}
  - {id: [5], dscp: [46], mpls_qos: [5], dotonep: [5], queue_id: [5]}

vrf_stats:
  - {vrf: 2, receives: 74210, encaps: 31310, udp_mpls_tunnels: 1200, l2_receives: 12}
  - {vrf: 3, receives: 867, encaps: 738, vxlan_tunnels: 40}

flows:
  # A TCP connection between the two VMs: the flow and its reverse.
  - {source: 10.1.1.5, destination: 10.1.1.6, flow_sport: 40000, flow_dport: 80, flow_proto: 6, flow_nh_id: 21, flow_vrf: 2, action: forward, src_nh_index: 21, ttl: 64, reverse: 1, packets: 321, bytes: 123456, tcp_flags: [syn, syn-r, established, established-r], udp_src_port: 52000, src_info: 3}
  - {source: 10.1.1.6, destination: 10.1.1.5, flow_sport: 80, flow_dport: 40000, flow_proto: 6, flow_nh_id: 22, flow_vrf: 2, action: forward, src_nh_index: 22, ttl: 64, packets: 543, bytes: 654321, tcp_flags: [syn-r, established-r], udp_src_port: 52001, src_info: 4}
  # IPv6 DNS dropped by policy.
  - {source: "fd00:10:1:1::5", destination: "fd00:10:1:2::7", flow_sport: 5353, flow_dport: 53, flow_proto: 17, flow_nh_id: 21, flow_vrf: 2, action: drop, drop_reason: policy, src_nh_index: 21, ttl: 64, packets: 10, bytes: 980, src_info: 3}
  # The metadata service, link-local NAT.
  - {source: 10.1.1.5, destination: 169.254.169.254, flow_sport: 34000, flow_dport: 80, flow_proto: 6, flow_nh_id: 21, flow_vrf: 2, action: nat, flags: [active, dnat, dpat, link-local], src_nh_index: 21, ttl: 64, packets: 12, bytes: 2400, tcp_flags: [syn, established], src_info: 3}
  # Seven DNS flows whose keys share one bucket: four in its slots, three chained from its last slot.
  - {source: 10.1.1.5, destination: 8.8.8.8, flow_sport: 33257, flow_dport: 53, flow_proto: 17, flow_nh_id: 21, flow_vrf: 2, action: forward, src_nh_index: 21, ttl: 64, packets: 2, bytes: 150, src_info: 3}
  - {source: 10.1.1.5, destination: 8.8.4.4, flow_sport: 50459, flow_dport: 53, flow_proto: 17, flow_nh_id: 21, flow_vrf: 2, action: forward, src_nh_index: 21, ttl: 64, packets: 2, bytes: 150, src_info: 3}
  - {source: 10.1.1.5, destination: 8.8.4.4, flow_sport: 54447, flow_dport: 53, flow_proto: 17, flow_nh_id: 21, flow_vrf: 2, action: forward, src_nh_index: 21, ttl: 64, packets: 2, bytes: 150, src_info: 3}
  - {source: 10.1.1.5, destination: 1.1.1.1, flow_sport: 40139, flow_dport: 53, flow_proto: 17, flow_nh_id: 21, flow_vrf: 2, action: forward, src_nh_index: 21, ttl: 64, packets: 2, bytes: 150, src_info: 3}
  - {source: 10.1.1.5, destination: 1.1.1.1, flow_sport: 41610, flow_dport: 53, flow_proto: 17, flow_nh_id: 21, flow_vrf: 2, action: forward, src_nh_index: 21, ttl: 64, packets: 2, bytes: 150, src_info: 3}
  - {source: 10.1.1.5, destination: 1.1.1.1, flow_sport: 45383, flow_dport: 53, flow_proto: 17, flow_nh_id: 21, flow_vrf: 2, action: forward, src_nh_index: 21, ttl: 64, packets: 2, bytes: 150, src_info: 3}
  - {source: 10.1.1.5, destination: 9.9.9.9, flow_sport: 40098, flow_dport: 53, flow_proto: 17, flow_nh_id: 21, flow_vrf: 2, action: forward, src_nh_index: 21, ttl: 64, packets: 2, bytes: 150, src_info: 3}
  # A ping waiting for the agent (HOLD).
  - {source: 10.1.1.5, destination: 10.1.2.9, flow_sport: 6699, flow_dport: 0, flow_proto: 1, flow_nh_id: 21, flow_vrf: 2, action: hold, ttl: 0, packets: 1, bytes: 98, src_info: 3}

drop_stats:
  discard: 12
  invalid_arp: 3
  flow_action_drop: 17
  ttl_exceeded: 2
  invalid_nh: 1

# What dropstats --log shows: a few of those drops, as the forwarding plane logged them (minimal logging off).
drop_log:
  entries:
    - core: 0
      time: 1764230400
      packet: ARP
      reason: VP_DROP_INVALID_ARP
      vif: 3
      file: VR_DATAPATH_C
      line: 262
      data: 00 01 08 00 06 04 00 01 00 00 5e 00 01 00 0a 01 01 05 00 00 00 00 00 00 0a 01 01 63
    - core: 0
      time: 1764230402
      reason: VP_DROP_FLOW_ACTION_DROP
      vif: 3
      nh: 21
      src: 10.1.1.5
      dst: 10.1.3.20
      file: VR_FLOW_C
      line: 936
      data: 45 00 00 1c 1c 46 40 00 40 01 4f c2 0a 01 01 05 0a 01 03 14 08 00 f7 ff 00 01 00 01
    - {core: 0, time: 1764230405, reason: VP_DROP_INVALID_NH, vif: 4, src: 10.1.1.6, dst: 10.9.9.9, file: VR_DATAPATH_C, line: 469}
    - {core: 1, time: 1764230410, reason: VP_DROP_TTL_EXCEEDED, vif: 0, src: 192.168.10.8, dst: 10.1.1.6, file: VR_PROTO_IP_C, line: 245}
    - {core: 1, time: 1764230417, reason: VP_DROP_DISCARD, src: fd00:10:1:1::5, dst: fd00:10:1:2::9, file: VR_NEXTHOP_C, line: 2064}
`
