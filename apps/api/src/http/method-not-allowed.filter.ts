import { Catch, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';

const METHODS: readonly HTTPMethods[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
];

/**
 * Turns the router's 404 into `405 Method Not Allowed` with an `Allow` header when the path exists
 * under other methods (RFC 9110 §15.5.6). Fastify's router answers 404 for both cases.
 * A 404 thrown by a handler (`request.is404` false) passes through unchanged.
 */
@Catch(NotFoundException)
export class MethodNotAllowedFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: NotFoundException, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const path = request.url.split('?', 1)[0];
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const allowed = request.is404
      ? METHODS.filter((method) => fastify.hasRoute({ method, url: path }))
      : [];
    if (allowed.length === 0) {
      void reply.status(404).send(exception.getResponse());
      return;
    }
    void reply
      .status(405)
      .header('allow', allowed.join(', '))
      .send({
        statusCode: 405,
        error: 'Method Not Allowed',
        message: `Cannot ${request.method} ${path}: allowed ${allowed.join(', ')}`,
      });
  }
}
