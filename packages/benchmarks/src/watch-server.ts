/**
 * A local HTTP server that streams a watch: N small ConfigMap events, each ended by a newline as
 * the API server writes them. Run as a child process of watch-decode.ts (so its CPU is not the
 * client's); it reports its port on IPC.
 *
 *   GET /api/v1/namespaces/bench/configmaps?watch=true&chunking=event|16k
 *
 * Chunking: `event` sends each event as one HTTP/1.1 chunk, as the API server flushes each event
 * (the client library may hand several to the reader at once); `16k` cuts the stream into 16 KiB
 * pieces at any byte, like HTTP/2 DATA frames full of a burst of events (events straddle pieces).
 */
import { type AddressInfo, createServer, type Socket } from 'node:net';

/** One watch event as the API server sends it: a ConfigMap of ~600 bytes, and a newline. */
export function configMapEvent(index: number): string {
  const object = {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: {
      name: `bench-${index}`,
      namespace: 'bench',
      uid: `6f1c2a9e-${String(index).padStart(4, '0').slice(-4)}-4b7d-9c1e-${String(index).padStart(12, '0')}`,
      resourceVersion: String(100_000 + index),
      creationTimestamp: '2026-11-23T10:00:00Z',
      labels: { app: 'bench', tier: index % 2 === 0 ? 'web' : 'worker' },
      managedFields: [
        {
          manager: 'kubectl-client-side-apply',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2026-11-23T10:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': { '.': {}, 'f:config.yaml': {}, 'f:mode': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:tier': {} } } },
        },
      ],
    },
    data: { 'config.yaml': `replicas: ${index % 7}\nlog-level: info\nendpoint: https://svc-${index}.bench.svc:8443/`, mode: 'production' },
  };
  return `${JSON.stringify({ type: index === 0 ? 'ADDED' : 'MODIFIED', object })}\n`;
}

/** The whole stream of `count` events, and where each event ends. */
export function watchStream(count: number): { body: Buffer; eventEnds: number[] } {
  const parts: Buffer[] = [];
  const eventEnds: number[] = [];
  let length = 0;
  for (let index = 0; index < count; index++) {
    const part = Buffer.from(configMapEvent(index));
    parts.push(part);
    length += part.length;
    eventEnds.push(length);
  }
  return { body: Buffer.concat(parts, length), eventEnds };
}

/**
 * The response, HTTP/1.1 chunked encoding prepared in advance: one HTTP chunk per piece of `body`
 * cut at `cuts`. Written to the socket in 64 KiB slices, so the server costs next to nothing and
 * the client is what is measured.
 */
function chunkedResponse(body: Buffer, cuts: Iterable<number>): Buffer {
  const parts: Buffer[] = [Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n')];
  let start = 0;
  for (const end of cuts) {
    parts.push(Buffer.from(`${(end - start).toString(16)}\r\n`), body.subarray(start, end), Buffer.from('\r\n'));
    start = end;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

function* every(step: number, length: number): Iterable<number> {
  for (let end = step; end < length; end += step) yield end;
  yield length;
}

async function writeResponse(socket: Socket, response: Buffer): Promise<void> {
  for (let at = 0; at < response.length; at += 64 * 1024) {
    if (!socket.write(response.subarray(at, at + 64 * 1024))) await new Promise((resolve) => socket.once('drain', resolve));
  }
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const { body, eventEnds } = watchStream(count);
  const responses: Record<string, Buffer> = { event: chunkedResponse(body, eventEnds), '16k': chunkedResponse(body, every(16 * 1024, body.length)) };
  const notFound = Buffer.from('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
  // A minimal HTTP/1.1 server (GETs, keep-alive): node:http would write each small chunk itself.
  const server = createServer((socket) => {
    let pending = '';
    let writing = Promise.resolve();
    socket.setEncoding('latin1');
    socket.on('error', () => socket.destroy());
    socket.on('data', (data: string) => {
      pending += data;
      for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        const url = new URL(head.split(' ')[1] ?? '/', 'http://x');
        const found = url.pathname === '/api/v1/namespaces/bench/configmaps' && url.searchParams.get('watch') === 'true';
        const response = found ? responses[url.searchParams.get('chunking') ?? 'event'] : undefined;
        writing = writing
          .then(() => writeResponse(socket, response ?? notFound))
          .catch(() => {
            socket.destroy();
          });
      }
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port, bytes: body.length });
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main();
