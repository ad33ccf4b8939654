/**
 * Which peers are trusted reverse proxies (`KESU_TRUST_PROXY=1`, `KESU_TRUSTED_PROXIES`), and so
 * whose `X-Forwarded-For`, `X-Forwarded-Proto`, `X-Forwarded-Host` and `X-Request-Id` count.
 *
 * The client's address is the right-most address of `X-Forwarded-For` that is not a trusted
 * proxy (Fastify's `trustProxy` with an address list, @fastify/proxy-addr): each proxy appends
 * the address it was reached from, so everything left of the first untrusted hop was written by
 * the client and is ignored — a client cannot choose its own rate-limit key. A request that does
 * not come from a trusted proxy has its headers ignored altogether.
 *
 * `KESU_TRUSTED_PROXIES` lists addresses and CIDR ranges (`10.0.0.2,10.1.0.0/16,::1`) or the
 * names `loopback`, `linklocal`, `uniquelocal`; with `KESU_TRUST_PROXY=1` and no list, the
 * loopback and private ranges are trusted (a proxy on the same host or the same private network).
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

export const DEFAULT_TRUSTED_PROXIES = ['loopback', 'linklocal', 'uniquelocal'];

export interface ProxyTrust {
  /** Fastify's `trustProxy` option: the trusted addresses, or false. */
  fastify: string[] | false;
  /** Whether the peer of this connection is a trusted proxy. */
  peerTrusted(req: IncomingMessage): boolean;
}

export function proxyTrust(trustProxy: boolean | undefined, addresses: string[] = []): ProxyTrust {
  if (!trustProxy && addresses.length === 0) return { fastify: false, peerTrusted: () => false };
  const list = addresses.length ? addresses : DEFAULT_TRUSTED_PROXIES;
  const trusted = proxyAddr.compile(list);
  return {
    fastify: list,
    peerTrusted: (req) => {
      const peer = req.socket?.remoteAddress;
      return !!peer && trusted(peer, 0);
    },
  };
}
