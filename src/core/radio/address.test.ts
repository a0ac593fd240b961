import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  joinUrlCredentials,
  mayReachNetwork,
  networkKey,
  redactUrl,
  redactUrlsDeep,
  redactUrlsIn,
  serialPortProblem,
  serverUrlProblem,
  splitUrlCredentials,
} from './address.js';

describe('serial ports', () => {
  it.each([
    '/dev/ttyUSB0',
    '/dev/ttyUSB12',
    '/dev/ttyACM0',
    '/dev/ttyAMA0',
    '/dev/ttyS1',
    '/dev/serial/by-id/usb-0658_0200-if00',
    '/dev/serial/by-id/usb-Silicon_Labs_CP2102N_USB_to_UART_Bridge_Controller_a1b2c3-if00-port0',
    '/dev/serial/by-path/platform-fd500000.pcie-pci-0000:01:00.0-usb-0:1.3:1.0',
    '/dev/cu.usbmodem14101',
    '/dev/cu.SLAB_USBtoUART',
    'COM3',
    'com12',
    'COM256',
  ])('takes the stick at %s', (port) => {
    expect(serialPortProblem(port)).toBeNull();
  });

  it.each([
    '/etc/passwd',
    '/dev/sda',
    '/dev/mem',
    '/dev/tty',
    '/dev/ttyUSB',
    '/dev/ttyKEYWARD0',
    '/dev/serial/by-id/../../../etc/passwd',
    '/dev/serial/by-id/..',
    '/dev/serial/by-id/a/b',
    '/dev/ttyUSB0/../sda',
    '/dev/ttyUSB0 ',
    ' /dev/ttyUSB0',
    '/dev/ttyUSB0\n',
    'tcp://10.0.0.5:4001',
    '\\\\.\\COM3',
    'COM0',
    'COM257',
    '/proc/self/fd/0',
    '',
    'ws://host:3000',
  ])('refuses %j', (port) => {
    expect(serialPortProblem(port)).toMatch(/device path of a Z-Wave stick/);
  });

  it('refuses anything that is not under /dev or a COM port, whatever it looks like', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        if (!s.startsWith('/dev/') && !/^COM/i.test(s)) expect(serialPortProblem(s)).not.toBeNull();
        if (s.includes('..')) expect(serialPortProblem(s)).not.toBeNull();
      }),
    );
    expect(serialPortProblem(5)).not.toBeNull();
  });
});

describe('server addresses', () => {
  it.each([
    'ws://homeassistant.local:3000',
    'wss://hass.example.com',
    'ws://127.0.0.1:3000',
    'ws://[::1]:3000',
    'ws://user:p%40ss@hass:3000',
    'wss://hass.example.com/zwave',
  ])('takes %s', (url) => {
    expect(serverUrlProblem(url)).toBeNull();
  });

  it.each([
    'http://hass:3000',
    'https://hass:3000',
    'file:///etc/passwd',
    'tcp://hass:3000',
    'WS://hass:3000',
    'ws://',
    'ws://:3000',
    'ws://hass:0',
    'ws://hass:70000',
    'ws://hass:3000/#x',
    'ws://ha ss:3000',
    'ws://hass:3000\n',
    ' ws://hass:3000',
    'ws:\\\\hass',
    `ws://${'a'.repeat(300)}`,
    'javascript:alert(1)',
  ])('refuses %j', (url) => {
    expect(serverUrlProblem(url)).toMatch(/ws:\/\/host:port/);
  });
});

const userinfo = fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:@-]{1,24}$/);

describe('credentials in addresses', () => {
  it('strips every user name and password, and nothing else', () => {
    fc.assert(
      fc.property(
        userinfo,
        fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/),
        fc.integer({ min: 1, max: 65535 }),
        (info, host, port) => {
          const bare = `ws://${host}:${port}`;
          const url = `ws://${info}@${host}:${port}`;
          expect(redactUrl(url)).toBe(bare);
          expect(redactUrlsIn(`cannot reach ${url}: refused (${url})`)).toBe(
            `cannot reach ${bare}: refused (${bare})`,
          );
          const split = splitUrlCredentials(url);
          expect(split).toEqual({ url: bare, credentials: info });
          expect(joinUrlCredentials(split.url, split.credentials)).toBe(url);
          expect(networkKey({ url })).toBe(networkKey({ url: bare }));
        },
      ),
    );
  });

  it('redacts every string of a JSON value and keeps the rest as it was', () => {
    const row = { at: 5, network: 'ws://u:pw@h:1', seen: ['x', { url: 'wss://a:b@c/d' }], none: null };
    expect(redactUrlsDeep(row)).toEqual({
      at: 5,
      network: 'ws://h:1',
      seen: ['x', { url: 'wss://c/d' }],
      none: null,
    });
    const clean = { a: ['ws://h:1'], b: 2 };
    expect(redactUrlsDeep(clean)).toBe(clean);
  });

  it('leaves an address without credentials as it was', () => {
    expect(redactUrl('ws://hass:3000')).toBe('ws://hass:3000');
    expect(splitUrlCredentials('ws://hass:3000')).toEqual({ url: 'ws://hass:3000', credentials: null });
    expect(joinUrlCredentials('ws://hass:3000', null)).toBe('ws://hass:3000');
    expect(redactUrlsIn('mail ann@example.com')).toBe('mail ann@example.com');
  });

  it('names one network however its address is written', () => {
    expect(networkKey({ url: 'ws://HASS:3000/' })).toBe(networkKey({ url: 'ws://hass:3000' }));
    expect(networkKey({ url: 'wss://hass:443' })).toBe(networkKey({ url: 'wss://hass' }));
    expect(networkKey({ url: 'ws://hass:3000' })).not.toBe(networkKey({ url: 'ws://hass:3001' }));
    expect(networkKey({ serialPort: '/dev/ttyUSB0' })).not.toBe(networkKey({ url: 'ws://hass:3000' }));
  });
});

describe('who may reach a network', () => {
  const known = (key: string) => key === networkKey({ url: 'ws://hass:3000' });

  it('lets an admin reach any network and configure a stick', () => {
    expect(
      mayReachNetwork({ admin: true, target: { url: 'ws://10.0.0.9:22' }, known, configures: false }),
    ).toBe(true);
    expect(
      mayReachNetwork({ admin: true, target: { serialPort: '/dev/ttyUSB0' }, known, configures: true }),
    ).toBe(true);
  });

  it('lets anyone else reach only known networks, and configure no stick', () => {
    const manager = (target: { url: string } | { serialPort: string }, configures = false) =>
      mayReachNetwork({ admin: false, target, known, configures });
    expect(manager({ url: 'ws://user:pw@HASS:3000' })).toBe(true);
    expect(manager({ url: 'ws://hass:3000' }, true)).toBe(true);
    expect(manager({ url: 'ws://10.0.0.9:22' })).toBe(false);
    expect(manager({ serialPort: '/dev/ttyUSB0' })).toBe(false);
    const stickKnown = (key: string) => key === networkKey({ serialPort: '/dev/ttyUSB0' });
    expect(
      mayReachNetwork({
        admin: false,
        target: { serialPort: '/dev/ttyUSB0' },
        known: stickKnown,
        configures: false,
      }),
    ).toBe(true);
    expect(
      mayReachNetwork({
        admin: false,
        target: { serialPort: '/dev/ttyUSB0' },
        known: stickKnown,
        configures: true,
      }),
    ).toBe(false);
  });
});
