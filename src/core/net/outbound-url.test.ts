import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, classifyAddress, parseIPv6 } from './outbound-url.js';

describe('outbound addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['8.8.8.8', 'public'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['fd00::1', 'private'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2002:7f00:1::', 'loopback'],
    ['2606:4700::1111', 'public'],
  ])('classifies %s as %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it('reads names that are not addresses as such', () => {
    expect(classifyAddress('example.com')).toBeNull();
    expect(classifyAddress('1.2.3')).toBeNull();
    expect(classifyAddress('1:2:3')).toBeNull();
  });

  it('parses every IPv6 address written in full or compressed the same way', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (groups) => {
        const full = groups.map((g) => g.toString(16)).join(':');
        expect(parseIPv6(full)).toEqual(groups);
        const url = new URL(`http://[${full}]/`);
        expect(parseIPv6(url.hostname)).toEqual(groups);
      }),
    );
  });

  it('accepts public http and https addresses', () => {
    expect(checkOutboundUrl('https://hooks.example.com/x', false)).toMatchObject({ ok: true, literal: null });
    expect(checkOutboundUrl('http://8.8.8.8/', false)).toMatchObject({ ok: true, literal: 'public' });
  });

  it.each(['ftp://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', 'gopher://x'])(
    'refuses %s for its scheme',
    (url) => {
      const r = checkOutboundUrl(url, true);
      expect(r.ok).toBe(false);
    },
  );

  it.each([
    'http://127.0.0.1:8080/',
    'http://localhost/',
    'http://api.localhost/',
    'http://[::1]/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://10.0.0.5/',
    'http://169.254.169.254/latest/meta-data',
  ])('refuses %s unless private addresses are allowed', (url) => {
    const refused = checkOutboundUrl(url, false);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toMatch(/allow-private-urls/);
    expect(checkOutboundUrl(url, true).ok).toBe(true);
  });
});
