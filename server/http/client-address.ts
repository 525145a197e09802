/**
 * Who is asking: the client's IP address, for rate limits and the development outbox. Never
 * logged or stored: an IP address is personal data.
 *
 * From the socket; with TRUST_PROXY from the one proxy in front of this server, in the one
 * header it is declared to set: the right-most `X-Forwarded-For` entry, or the last `Forwarded:
 * for=`, the address that proxy saw. Entries further left, and the other header, come from the
 * client and can say anything.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { isIP, isIPv4 } from 'node:net';
import { isLocalUrl, type TrustProxy } from '../config.js';

/** What the node server passes a Hono handler. */
export type NodeBindings = { Bindings: HttpBindings };

export function clientAddress(incoming: IncomingMessage, trustProxy: TrustProxy): string | undefined {
  const socket = incoming.socket.remoteAddress;
  if (!trustProxy) return socket;
  // Node joins repeated headers of these names with ", ", as web Headers do.
  const { forwarded, 'x-forwarded-for': forwardedFor } = incoming.headers as Record<string, string | undefined>;
  const proxySaw =
    trustProxy === 'forwarded'
      ? forwarded
          ?.split(',')
          .at(-1)
          ?.match(/(?:^|;)\s*for=("?)([^;"]*)\1/i)?.[2]
      : forwardedFor?.split(',').at(-1);
  return bareAddress(proxySaw) ?? socket;
}

/** An address without brackets or port (`[2001:db8::1]:4711`, `192.0.2.1:80`), if it is one. */
function bareAddress(value: string | undefined): string | undefined {
  const text = value
    ?.trim()
    .replace(/^\[([^\]]*)\](?::\d+)?$/, '$1')
    .replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
  return text && isIP(text) ? text : undefined;
}

/**
 * What a client is counted by: an IPv4 address, or the /64 network of an IPv6 address (one
 * household or phone gets a whole /64). IPv4-mapped IPv6 counts as IPv4.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i)?.[1];
  if (mapped) return mapped;
  if (isIPv4(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/i;

/**
 * A request from this machine, not through a proxy, for this machine by name: its socket is
 * loopback, it carries no proxy
 * headers, and its Host (which the URL is built from) is one of this machine's own names, not a
 * name that a page elsewhere points at 127.0.0.1 to read our answers (DNS rebinding).
 */
export function isLocalRequest(c: Context<NodeBindings>): boolean {
  const socket = c.env.incoming.socket.remoteAddress;
  const proxied = c.req.header('X-Forwarded-For') !== undefined || c.req.header('Forwarded') !== undefined;
  return !proxied && isLocalUrl(c.req.url) && socket !== undefined && LOOPBACK.test(socket);
}
