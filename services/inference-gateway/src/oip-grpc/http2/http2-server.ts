import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { FlushScheduler } from '../../transport/flush-scheduler';
import { Http2Connection } from './http2-connection';
import type { Http2Request } from './http2-stream';

export interface Http2ServerOptions {
  /** Called once per complete request; it should not throw. */
  onRequest: (request: Http2Request) => void;
  /** Request DATA past this many octets is discarded and the request flagged `bodyTooLarge`. */
  maxBodyBytes: number;
}

/** HTTP/2 over cleartext TCP with prior knowledge (no Upgrade from HTTP/1.1, no TLS), as gRPC clients speak it. */
export class Http2Server {
  private readonly server: Server;
  private readonly connections = new Set<Http2Connection>();
  private readonly scheduler = new FlushScheduler();

  constructor(private readonly options: Http2ServerOptions) {
    this.server = createServer((socket) => this.accept(socket));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        // Failed accepts (EMFILE and the like) surface here; the listener keeps serving the connections it has.
        this.server.on('error', () => undefined);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops accepting, sends GOAWAY on every connection, lets their open streams finish, and cuts them after graceMs. */
  async close(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.shutdown();
    const force = setTimeout(() => this.connections.forEach((connection) => connection.destroy()), graceMs);
    await closed;
    clearTimeout(force);
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const connection = new Http2Connection(socket, {
      onRequest: this.options.onRequest,
      maxBodyBytes: this.options.maxBodyBytes,
      scheduler: this.scheduler,
      onClose: (closed) => this.connections.delete(closed),
    });
    this.connections.add(connection);
  }
}
