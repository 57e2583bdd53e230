import type { ArgumentsHost } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { firstValueFrom } from 'rxjs';
import { JsonLogger } from '@mlops/observability';
import { InvalidOnlineRequestError } from './online-features';
import { GrpcStatusFilter } from './online-features.grpc-controller';

describe('GrpcStatusFilter', () => {
  const logged: string[] = [];
  const logger = { child: () => ({ error: (message: string) => logged.push(message) }) } as unknown as JsonLogger;
  const filter = new GrpcStatusFilter(logger);
  const statusOf = (err: unknown) => firstValueFrom(filter.catch(err, {} as ArgumentsHost)).catch((e: unknown) => e);

  it("makes the caller's mistake INVALID_ARGUMENT with the field in the details", async () => {
    expect(await statusOf(new InvalidOnlineRequestError('features.1: v:nope: view v v1 has no feature nope'))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'features.1: v:nope: view v v1 has no feature nope',
    });
  });

  it('passes a status already chosen on, and makes anything else INTERNAL, logged', async () => {
    expect(await statusOf(new RpcException({ code: status.CANCELLED, details: 'gone' }))).toEqual({ code: status.CANCELLED, details: 'gone' });
    expect(await statusOf(new Error('connection terminated'))).toMatchObject({ code: status.INTERNAL });
    expect(logged).toEqual([expect.stringContaining('connection terminated')]);
  });
});
