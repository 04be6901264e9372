/**
 * IP addresses between guest bytes and host text (inet-addr.ts) and the sockaddr_in/sockaddr_in6
 * records of inet sockets (sockaddr.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6, v4Mapped } from '../../../src/kernel/net/inet-addr.js';
import {
  decodeIn6,
  encodeInet,
  fromHost,
  readInetSockaddr,
  SOCKADDR_IN6_SIZE,
  toHost,
} from '../../../src/kernel/net/sockaddr.js';

function v6(text: string): Uint8Array {
  const b = parseIPv6(text);
  assert.ok(b !== undefined, text);
  return b;
}

describe('IP address text', () => {
  test('IPv6 is written as inet_ntop writes it: the longest zero run (the first of equals) as ::', () => {
    assert.equal(formatIPv6(v6('0:0:0:0:0:0:0:1')), '::1');
    assert.equal(formatIPv6(new Uint8Array(16)), '::');
    assert.equal(formatIPv6(v6('fe80:0:0:0:0:0:0:1')), 'fe80::1');
    assert.equal(formatIPv6(v6('2001:db8:0:0:1:0:0:1')), '2001:db8::1:0:0:1');
    assert.equal(formatIPv6(v6('2001:db8:1:0:1:1:1:1')), '2001:db8:1:0:1:1:1:1');
    assert.equal(formatIPv6(v4Mapped(Uint8Array.of(127, 0, 0, 1))), '::ffff:127.0.0.1');
  });

  test('IPv6 text with ::, an embedded quad or a zone parses; malformed text does not', () => {
    assert.deepEqual([...v6('::ffff:10.1.2.3').subarray(10)], [0xff, 0xff, 10, 1, 2, 3]);
    assert.deepEqual([...v6('fe80::1%eth0')], [...v6('fe80::1')]);
    for (const bad of ['1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', ':::', 'g::1', '1:2:3:4:5:6:7']) {
      assert.equal(parseIPv6(bad), undefined, bad);
    }
  });

  test('IPv4 dotted quads', () => {
    assert.equal(formatIPv4(Uint8Array.of(192, 168, 0, 1)), '192.168.0.1');
    assert.deepEqual([...(parseIPv4('10.0.0.255') ?? [])], [10, 0, 0, 255]);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d']) assert.equal(parseIPv4(bad), undefined);
  });
});

describe('inet socket addresses', () => {
  test('sockaddr_in6 round trip: port and flowinfo big-endian, scope id little-endian', () => {
    const a = { family: 6 as const, addr: v6('fe80::1'), port: 8080, flowinfo: 0x12345, scopeId: 2 };
    const b = encodeInet(a);
    assert.equal(b.length, SOCKADDR_IN6_SIZE);
    assert.deepEqual([b[0], b[1], b[2], b[3]], [10, 0, 0x1f, 0x90]);
    assert.deepEqual(decodeIn6(b), a);
  });

  test('an AF_INET address given to an IPv6 socket is read v4-mapped', () => {
    const sin = encodeInet({ family: 4, addr: Uint8Array.of(127, 0, 0, 1), port: 53, flowinfo: 0, scopeId: 0 });
    const r = readInetSockaddr(sin, 6);
    assert.equal(r.family, 2);
    assert.equal(r.addr?.port, 53);
    assert.equal(toHost(r.addr!).address, '::ffff:127.0.0.1');
    assert.equal(readInetSockaddr(sin.subarray(0, 8), 4).addr, undefined, 'too short');
  });

  test('host endpoints: an IPv6 socket sees IPv4 peers v4-mapped, an IPv4 socket plain', () => {
    const h = { family: 4 as const, address: '127.0.0.1', port: 9 };
    assert.equal(formatIPv6(fromHost(h, 6).addr), '::ffff:127.0.0.1');
    const mapped = { family: 6 as const, address: '::ffff:127.0.0.1', port: 9 };
    assert.deepEqual([...fromHost(mapped, 4).addr], [127, 0, 0, 1]);
    assert.equal(formatIPv6(fromHost({ family: 6, address: '::1', port: 9 }, 6).addr), '::1');
  });
});
