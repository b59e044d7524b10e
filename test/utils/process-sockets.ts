import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

const LISTEN = '0A';
const ESTABLISHED = '01';

interface TcpSocket {
  localPort: number;
  remotePort: number;
  state: string;
  inode: string;
}

function tcpSockets(pid: number): TcpSocket[] {
  return ['tcp', 'tcp6'].flatMap((table) =>
    readFileSync(`/proc/${pid}/net/${table}`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => {
        const [, local, remote, state, , , , , , inode] = line.trim().split(/\s+/);
        const port = (address: string) => parseInt(address.split(':')[1], 16);
        return { localPort: port(local), remotePort: port(remote), state, inode };
      }),
  );
}

/** The inodes of the sockets a process holds open. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) {
        inodes.add(match[1]);
      }
    } catch {
      // closed while we looked
    }
  }
  return inodes;
}

/**
 * The connections a process holds open to a port it listens on itself, read from Linux's
 * /proc: for the embedded mode, the database pool's connections to PGlite's socket server,
 * which runs on a worker thread of the same process. `exceptPort` is the HTTP port.
 */
export function connectionsToOwnListener(pid: number, exceptPort: number): number {
  const inodes = socketInodes(pid);
  const owned = tcpSockets(pid).filter((socket) => inodes.has(socket.inode));
  const listening = owned
    .filter((socket) => socket.state === LISTEN && socket.localPort !== exceptPort)
    .map((socket) => socket.localPort);
  if (listening.length !== 1) {
    throw new Error(`expected one listener besides port ${exceptPort}, found ${listening.length}`);
  }
  return owned.filter(
    (socket) => socket.state === ESTABLISHED && socket.remotePort === listening[0],
  ).length;
}
