import { isIPv6 } from 'node:net';

// A name or IPv4 address, or an IP-literal in brackets (RFC 3986 §3.2.2), then an optional port.
const HOST = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::([0-9]{1,5}))?$/;
// RFC 1123 §2.1 label: letters, digits and hyphens, 1-63 characters, no hyphen at either end.
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// A DNS name is at most 253 characters (RFC 1035 §2.3.4), 255 with a trailing dot and slack.
const MAX_HOST_LENGTH = 255 + ':65535'.length;

/** A `Host` split into its lower-cased name (trailing dot removed) and port. */
export interface HostPort {
  /** `example.com`, `10.0.0.1` or `[::1]` (IPv6 keeps its brackets). */
  hostname: string;
  port: number | undefined;
}

/**
 * Splits and normalises a `Host` value; `undefined` when it is not a hostname, IPv4 or
 * `[IPv6]` address with an optional port (see {@link isValidHost}).
 *
 * @example
 * splitHostPort('Example.COM.:8080') // { hostname: 'example.com', port: 8080 }
 */
export function splitHostPort(host: string): HostPort | undefined {
  if (host.length > MAX_HOST_LENGTH) return undefined;
  const match = HOST.exec(host.toLowerCase());
  const name = match?.[1];
  if (match === null || name === undefined) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && port > 65535) return undefined;
  const hostname = name.endsWith('.') ? name.slice(0, -1) : name;
  return isHostname(hostname) ? { hostname, port } : undefined;
}

/** Dot-separated RFC 1123 labels (no empty one: no `..`, no leading dot), or a bracketed IPv6 address. */
function isHostname(name: string): boolean {
  if (name.startsWith('[')) return isIPv6(name.slice(1, -1));
  if (name === '' || name.length > 253) return false;
  return name.split('.').every((label) => LABEL.test(label));
}

/**
 * Whether `host` is syntactically a hostname, IPv4 or `[IPv6]` address with an optional
 * port, as Django validates `Host` (no spaces, `@`, `/`, `_`, control characters, empty),
 * and with DNS label rules besides (RFC 1123 §2.1: no empty label, no `..`, no hyphen at a
 * label's end).
 *
 * @example
 * isValidHost('example.com:8000') // true
 */
export function isValidHost(host: string): boolean {
  return splitHostPort(host) !== undefined;
}

/**
 * Django's `ALLOWED_HOSTS` check: `*` allows any valid host, `.example.com` allows
 * example.com and its subdomains, anything else must match exactly. Case-insensitive;
 * the port and a trailing dot are ignored. An invalid `host` never matches; a pattern
 * with a port never matches.
 *
 * @example
 * matchesAllowedHost('API.example.com:443', ['.example.com']) // true
 */
export function matchesAllowedHost(host: string, allowed: readonly string[]): boolean {
  const hostname = splitHostPort(host)?.hostname;
  if (hostname === undefined) return false;
  return allowed.some((entry) => {
    if (entry === '*') return true;
    const pattern = entry.toLowerCase().replace(/\.$/, '');
    if (pattern === '') return false;
    if (pattern.startsWith('.')) return hostname === pattern.slice(1) || hostname.endsWith(pattern);
    return hostname === pattern;
  });
}
