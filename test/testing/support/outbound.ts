import net from 'node:net';

/** Where a socket was asked to connect: a host (name or address) or a Unix socket path. */
export interface ConnectTarget {
  host?: string;
  path?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function targetOf(args: unknown[]): ConnectTarget {
  const [first, second] = args;
  // net.connect() passes its normalized arguments as one array.
  if (Array.isArray(first)) return targetOf(first);
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; path?: string };
    return options.path !== undefined ? { path: options.path } : { host: options.host ?? 'localhost' };
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first };
  return { host: typeof second === 'string' ? second : 'localhost' };
}

/**
 * Records every outbound connection the process attempts (every TCP connect goes through `net.Socket#connect`:
 * fetch, pg, ioredis) until `restore()`. `nonLocal()` lists those that leave the machine.
 */
export function recordConnections(): { targets: ConnectTarget[]; nonLocal(): ConnectTarget[]; restore(): void } {
  const original = net.Socket.prototype.connect;
  const targets: ConnectTarget[] = [];
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    targets.push(targetOf(args));
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return {
    targets,
    nonLocal: () => targets.filter((target) => target.host !== undefined && !LOOPBACK.has(target.host)),
    restore: () => {
      net.Socket.prototype.connect = original;
    },
  };
}
