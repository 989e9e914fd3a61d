/**
 * True for an address of this machine's loopback interface (127.0.0.0/8, ::1, or
 * 127.x written as an IPv4-mapped IPv6 address): only this machine can reach it, or
 * come from it.
 */
export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
