/**
 * A loopback TCP proxy in front of the API server that counts the bytes the server sends to the
 * clients: what "bytes received" means in the protobuf scenarios. It relays TLS untouched (the
 * client still verifies the server's certificate, which names 127.0.0.1 whatever the port), so
 * the count is the bytes on the wire: TLS records holding the response headers and the bodies as
 * the server sent them (gzip where it compressed), HTTP/2 framing for client-go.
 */
import { createServer, type Server, type Socket, connect } from 'node:net';

/** A running proxy: `server` is the URL to give clients; `received()` the bytes sent to them so far. */
export interface ByteCountingProxy {
  server: string;
  received(): number;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port) relaying to `target` (`https://host:port`). */
export async function startByteCountingProxy(target: string): Promise<ByteCountingProxy> {
  const url = new URL(target);
  const port = Number(url.port || 443);
  let received = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host: url.hostname, port });
    for (const socket of [client, upstream]) {
      // Relay small writes at once: with Nagle's algorithm on (net's default), small frames (an
      // HTTP/2 client's WINDOW_UPDATEs) waited here for the previous segment's ACK, and kgo's
      // watch ran at a third of its direct speed; client-go's, with larger windows, did not.
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      // A reset on one side ends the other; the client reports its own error.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('byte-counting proxy: no TCP address');
  return {
    server: `${url.protocol}//127.0.0.1:${address.port}`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
