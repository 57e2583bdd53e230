import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { FlushScheduler } from '../transport/flush-scheduler';
import { Http1Connection, Http1ConnectionOptions } from './http1-connection';

type ConnectionListener = (socket: Socket) => void;

export type Http1FastPathOptions = Omit<Http1ConnectionOptions, 'handOver' | 'clock' | 'scheduler'> & { idleTimeoutSeconds: number };

/**
 * Puts the raw HTTP/1.1 path in front of a Node HTTP server: every accepted connection is read by an
 * Http1Connection first, and reaches the server's own connection handling only when a request arrives that the
 * raw path does not serve. The server keeps listening, its port and its other routes unchanged.
 */
export class Http1FastPath {
  private readonly connections = new Set<Http1Connection>();
  private closing = false;
  /** Idle connections are found by one sweep a second rather than a socket timer re-armed on every read and write. */
  private readonly clock = { seconds: 0 };
  private readonly sweep: NodeJS.Timeout;
  private readonly scheduler = new FlushScheduler();

  constructor(server: Server, options: Http1FastPathOptions) {
    const { idleTimeoutSeconds, ...connectionOptions } = options;
    this.sweep = setInterval(() => {
      this.clock.seconds++;
      for (const connection of this.connections) connection.endIfIdle(idleTimeoutSeconds);
    }, 1000);
    this.sweep.unref();
    const general = server.listeners('connection') as ConnectionListener[];
    server.removeAllListeners('connection');
    const handOver = (socket: Socket) => {
      for (const listener of general) listener.call(server, socket);
    };
    server.on('connection', (socket: Socket) => {
      const connection = new Http1Connection(socket, { ...connectionOptions, handOver, clock: this.clock, scheduler: this.scheduler }, (done) => this.connections.delete(done));
      this.connections.add(connection);
      // Accepted while closing: its first request is still answered, then the connection ends.
      if (this.closing) connection.close(false);
    });
  }

  /** Ends idle connections now and busy ones after their answer, so the server's close can complete. */
  close(): void {
    this.closing = true;
    clearInterval(this.sweep);
    for (const connection of this.connections) connection.close(true);
  }
}
