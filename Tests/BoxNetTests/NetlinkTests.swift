@testable import BoxNet
import Testing

/// The bytes boxlab sends the kernel, checked against the layouts of
/// <linux/netlink.h> and <linux/rtnetlink.h> (little-endian host).
@Suite("netlink message encoding")
struct NetlinkTests {
    func u16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ bytes: [UInt8], _ at: Int) -> Int { u16(bytes, at) | u16(bytes, at + 2) << 16 }

    @Test("nlmsghdr: length, type, flags, sequence, pid 0")
    func header() {
        var message = NetlinkMessage(type: NL.getLink, flags: NL.request | NL.dump)
        message.ifinfomsg()
        let bytes = message.finished(seq: 7)
        #expect(bytes.count == 32)
        #expect(u32(bytes, 0) == 32 && u16(bytes, 4) == 18 && u16(bytes, 6) == 0x301)
        #expect(u32(bytes, 8) == 7 && u32(bytes, 12) == 0)
    }

    @Test("RTM_NEWADDR: ifaddrmsg then IFA_LOCAL, IFA_ADDRESS, IFA_BROADCAST in network order")
    func newAddress() {
        var message = NetlinkMessage(type: NL.newAddr, flags: NL.request | NL.ack | NL.create | NL.excl)
        message.ifaddrmsg(prefixLength: 20, index: 5)
        message.attribute(NL.ifaLocal, address: IPv4Address("172.31.240.2")!)
        let bytes = message.finished(seq: 1)
        #expect(Array(bytes[16..<24]) == [2, 20, 0, 0, 5, 0, 0, 0])  // AF_INET, /20, flags, scope, index 5
        #expect(Array(bytes[24..<32]) == [8, 0, 2, 0, 172, 31, 240, 2])  // len 8, IFA_LOCAL, the address
        #expect(u16(bytes, 6) == 0x605)
    }

    @Test("string attributes are NUL-terminated and padded to 4 bytes")
    func padding() {
        var message = NetlinkMessage(type: NL.getLink, flags: NL.request)
        message.attribute(NL.iflaIfname, string: "eth0")
        let bytes = message.finished(seq: 1)
        #expect(bytes.count == 16 + 12)
        #expect(u16(bytes, 16) == 9 && u16(bytes, 18) == 3)  // rta_len counts the NUL, not the padding
        #expect(Array(bytes[20..<28]) == Array("eth0".utf8) + [0, 0, 0, 0])
    }

    @Test("the veth pair request nests LINKINFO → INFO_DATA → PEER with the peer's namespace pid")
    func vethPair() throws {
        let message = NetlinkSocket.vethPairMessage(hostName: "veth0123456789a", master: 4, peerName: "eth0", peerPid: 4242,
                                                    peerMAC: BridgeNetwork.mac(for: IPv4Address("172.31.240.9")!))
        let bytes = message.finished(seq: 9)
        #expect(u32(bytes, 0) == bytes.count)
        let reply = try #require(NetlinkReply.split(bytes[...]).first)
        #expect(reply.type == NL.newLink && reply.seq == 9)
        let link = NetlinkAttributes(reply.payload.dropFirst(16))
        #expect(link.string(NL.iflaIfname) == "veth0123456789a")
        #expect(link.u32(NL.iflaMaster) == 4)
        let info = try #require(link.nested(NL.iflaLinkInfo))
        #expect(info.string(NL.iflaInfoKind) == "veth")
        let data = try #require(info.nested(NL.iflaInfoData))
        let peer = try #require(data[NL.vethInfoPeer])
        #expect(peer.count >= 16, "the peer starts with its own ifinfomsg")
        let peerAttributes = NetlinkAttributes(peer.dropFirst(16))
        #expect(peerAttributes.string(NL.iflaIfname) == "eth0")
        #expect(peerAttributes.u32(NL.iflaNetNSPid) == 4242)
        #expect(peerAttributes[NL.iflaAddress].map(Array.init) == [0x02, 0x42, 172, 31, 240, 9], "docker's MAC from the address")
        // Nested attributes carry NLA_F_NESTED in their type.
        let linkInfoType = u16(Array(bytes), 16 + 16 + 20 + 8 + 2)
        #expect(linkInfoType == Int(NL.iflaLinkInfo | NL.nested))
        // The host end is created up; the peer cannot be (ENOTCONN), so its flags are 0.
        #expect(u32(Array(bytes), 16 + 8) == 1)
        #expect(peer[peer.startIndex + 8] == 0)
    }

    @Test("an NLMSG_ERROR carries the errno and the kernel's extended-ack text")
    func errorReply() throws {
        var error = NetlinkMessage(type: NL.error, flags: NL.capped | NL.ackTLVs)
        error.append32(UInt32(bitPattern: -17))  // -EEXIST
        for _ in 0..<4 { error.append32(0) }      // the request's nlmsghdr (capped: no payload)
        error.attribute(NL.errAttrMsg, string: "File exists")
        let reply = try #require(NetlinkReply.split(error.finished(seq: 3)[...]).first)
        let code = try #require(reply.errorCode)
        #expect(code.errno == 17 && code.message == "File exists")

        var ack = NetlinkMessage(type: NL.error, flags: NL.capped)
        ack.append32(0)
        for _ in 0..<4 { ack.append32(0) }
        #expect(try #require(NetlinkReply.split(ack.finished(seq: 4)[...]).first).errorCode?.errno == 0)
    }

    @Test("several messages in one datagram are split apart")
    func split() {
        var first = NetlinkMessage(type: NL.newLink, flags: NL.multi)
        first.ifinfomsg(index: 1)
        var done = NetlinkMessage(type: NL.done, flags: NL.multi)
        done.append32(0)
        let datagram = first.finished(seq: 5) + done.finished(seq: 5)
        let replies = NetlinkReply.split(datagram[...])
        #expect(replies.map(\.type) == [NL.newLink, NL.done])
    }
}

extension NetlinkMessage {
    /// Raw 32-bit field, for building replies in tests.
    mutating func append32(_ value: UInt32) { append(value) }
}
