import { describe, expect, it } from 'vitest'
import { addressKey } from './address.js'

describe('addressKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7 ', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3:8d3::/64'],
    ['2001:DB8:85A3:8D3::1', '2001:db8:85a3:8d3::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:0:0:ffff::', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
    ['', 'unknown'],
    [null, 'unknown'],
    [undefined, 'unknown'],
    ['not an address', 'unknown'],
    ['999.1.1.1', 'unknown'],
    ['1:2:3:4:5:6:7:8:9', 'unknown'],
  ])('%j → %j', (address, key) => {
    expect(addressKey(address)).toBe(key)
  })
})
