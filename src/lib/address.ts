// A client's address as a rate-limit key: an IPv4 address as it is, an IPv6 address by its /64
// network (one subscriber usually holds a whole /64, and could otherwise step through it).
import { isIPv4, isIPv6 } from 'node:net'

// The eight 16-bit groups of a valid IPv6 address, `::` and an embedded IPv4 tail expanded.
function ipv6Groups(address: string): number[] {
  // Without a zone (`fe80::1%eth0`).
  let text = address.toLowerCase().replace(/%.*$/, '')
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1]
  if (v4) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number)
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const part = (s: string) => (s ? s.split(':').map((group) => Number.parseInt(group, 16)) : [])
  const front = part(head)
  const back = tail === undefined ? [] : part(tail)
  return [...front, ...Array(8 - front.length - back.length).fill(0), ...back]
}

export function addressKey(address: string | null | undefined): string {
  const text = (address ?? '').trim()
  if (isIPv4(text)) return text
  if (!isIPv6(text)) return 'unknown'
  const groups = ipv6Groups(text)
  // An IPv4-mapped address (::ffff:1.2.3.4), as a dual-stack server reports IPv4 clients.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6)
    return [high >> 8, high & 255, low >> 8, low & 255].join('.')
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}
