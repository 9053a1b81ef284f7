/**
 * Whether a host (a name or an address, IPv6 with or without brackets) is this machine's own
 * loopback: `localhost`, 127.0.0.0/8 or `::1`. Traffic to it never leaves the machine.
 *
 * @example isLoopbackHost('127.0.0.1') // true
 * @example isLoopbackHost('192.168.1.5') // false
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** Whether a URL points at a loopback host (see {@link isLoopbackHost}); false for anything that is not a URL. */
export function isLoopbackUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  return isLoopbackHost(new URL(url).hostname);
}
