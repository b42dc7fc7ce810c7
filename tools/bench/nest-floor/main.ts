// The floor of NestJS 12 + Fastify on this machine: one controller answering /hello and /ready,
// no lifecycle tracking, no logging, no metrics, no headers. tools/bench/throughput.mjs runs it
// beside the real API and bare Node, so "what the framework costs" and "what we add" are both
// measured in the same run. Not a product: a benchmark fixture.
import 'reflect-metadata';
import { DEFAULT_HTTP_PORT, ServiceEnv } from '@stayup/contract';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

@Controller()
class FloorController {
  @Get('hello')
  hello(): { message: string } {
    return { message: 'Hello!' };
  }

  @Get('ready')
  ready(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

const app = await NestFactory.create<NestFastifyApplication>(
  FloorModule,
  new FastifyAdapter({ logger: false }),
  {
    logger: false,
  },
);
await app.listen(
  Number(process.env[ServiceEnv.port] ?? DEFAULT_HTTP_PORT),
  process.env[ServiceEnv.host] ?? '127.0.0.1',
);
