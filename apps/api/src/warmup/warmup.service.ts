import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LifecycleService } from '@stayup/nest-lifecycle';
import type { FastifyInstance } from 'fastify';
import { API_CONFIG } from '../config/api-config.constants.js';
import type { ApiConfig } from '../config/api-config.js';

/**
 * Runs `WARMUP_REQUESTS` requests to `/hello` through the application in-process (fastify
 * `inject`, no socket) before readiness goes up, so the first real requests a new pod receives
 * hit optimised code instead of paying for the JIT. Off by default.
 */
@Injectable()
export class WarmupService implements OnModuleInit {
  private readonly logger = new Logger('Warmup');

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly lifecycle: LifecycleService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    if (this.config.warmupRequests > 0) {
      this.lifecycle.addStartupTask('warm-up', () => this.warmUp(this.config.warmupRequests));
    }
  }

  private async warmUp(count: number): Promise<void> {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const started = Date.now();
    for (let i = 0; i < count; i++) {
      // inject() resolves through microtasks only; yield to the event loop now and then so that
      // probes and other sockets are answered while warming up.
      if (i % 64 === 0) await new Promise((r) => setImmediate(r));
      const response = await fastify.inject({ method: 'GET', url: '/hello' });
      if (response.statusCode !== 200) {
        throw new Error(`warm-up request ${i + 1} answered ${response.statusCode}`);
      }
    }
    this.logger.log(`${count} warm-up request(s) in ${Date.now() - started} ms`);
  }
}
