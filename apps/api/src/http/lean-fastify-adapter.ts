import type { FastifyCorsOptions } from '@fastify/cors';
import type { NestApplicationOptions, RequestMethod, VersioningOptions } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import fastify, { type FastifyHttpOptions } from 'fastify';
import type { Server } from 'node:http';

type AddHook = (name: string, hook: unknown) => unknown;
type VersionValue = Parameters<FastifyAdapter['applyVersionFilter']>[1];

/** The request hooks (those that run on every request) the Nest adapter's constructor adds. */
const REQUEST_HOOKS: ReadonlySet<string> = new Set(['onRequest', 'onResponse']);

/**
 * NestJS's FastifyAdapter without the cost of features the service does not use.
 *
 * `FastifyAdapter`'s constructor adds six `onRequest` hooks and one `onResponse` hook (CORS,
 * CSRF/security hook, 503 while closing, request-target check, versioning errors, and the
 * `setOnRequestHook`/`setOnResponseHook` slots), and `init()` registers @fastify/middie, which adds
 * one more. Each is a no-op until its feature is used, but any request hook takes Fastify off its
 * hook-free path. Why: docs/internals.md#lean-fastify-adapter
 *
 * This adapter holds those hooks back and adds them, in their order, the first time a feature
 * that needs one is switched on: `enableCors()`, `use()` or Nest middleware, the built-in security
 * hook, `setOnRequestHook()`/`setOnResponseHook()`, or `return503OnClosing`. A service that uses
 * none of them runs with no request hooks at all. Call those before registering plugins that add
 * request hooks of their own if the order between them matters.
 *
 * Differences from `FastifyAdapter`, by design:
 * - the constructor takes Fastify's own options (not an instance, not Nest's `multipart` or
 *   `skipMiddie`): it creates the instance itself;
 * - header, media-type and custom versioning are refused at start-up (they need Nest's version
 *   constraint on the router, which only FastifyAdapter's own constructor can add); URI
 *   versioning works;
 * - without middleware, request targets that are neither origin-form (`/path`) nor absolute-form
 *   (`http://host/path`) are not turned into 404s by the adapter (Nest does that for middleware
 *   matching): the API refuses them with 400 in front of the framework (see request-target.ts).
 */
export class LeanFastifyAdapter extends FastifyAdapter {
  private readonly heldHooks: Array<[string, unknown]>;
  private middlewareQueued: boolean;

  constructor(options: FastifyHttpOptions<Server> = {}) {
    const instance = fastify(options);
    const held: Array<[string, unknown]> = [];
    const addHook = instance.addHook as unknown as AddHook;
    const holdRequestHooks: AddHook = (name, hook) => {
      if (!REQUEST_HOOKS.has(name)) return addHook.call(instance, name, hook);
      held.push([name, hook]);
      return instance;
    };
    (instance as unknown as { addHook: AddHook }).addHook = holdRequestHooks;
    super(instance);
    (instance as unknown as { addHook: AddHook }).addHook = addHook;
    this.heldHooks = held;
    this.middlewareQueued = false;
  }

  override async init(): Promise<void> {
    // FastifyAdapter registers middie here whatever happens; middleware registers it on demand
    // (createMiddlewareFactory), and middleware queued with use() is flushed by super.init().
    if (this.middlewareQueued) await super.init();
  }

  override use(...args: unknown[]): this {
    this.addHeldHooks();
    this.middlewareQueued = true;
    super.use(...args);
    return this;
  }

  override createMiddlewareFactory(
    requestMethod: RequestMethod,
  ): ReturnType<FastifyAdapter['createMiddlewareFactory']> {
    this.addHeldHooks();
    return super.createMiddlewareFactory(requestMethod);
  }

  override enableCors(options?: FastifyCorsOptions): void {
    this.addHeldHooks();
    super.enableCors(options);
  }

  override registerSecurityHook(hook: Parameters<FastifyAdapter['registerSecurityHook']>[0]): void {
    this.addHeldHooks();
    super.registerSecurityHook(hook);
  }

  override setOnRequestHook(hook: Parameters<FastifyAdapter['setOnRequestHook']>[0]): void {
    this.addHeldHooks();
    super.setOnRequestHook(hook);
  }

  override setOnResponseHook(hook: Parameters<FastifyAdapter['setOnResponseHook']>[0]): void {
    this.addHeldHooks();
    super.setOnResponseHook(hook);
  }

  override initHttpServer(options?: NestApplicationOptions): void {
    if (options?.return503OnClosing) this.addHeldHooks();
    super.initHttpServer(options);
  }

  override applyVersionFilter(
    _handler: Parameters<FastifyAdapter['applyVersionFilter']>[0],
    version: VersionValue,
    _versioningOptions: VersioningOptions,
  ): ReturnType<FastifyAdapter['applyVersionFilter']> {
    throw new Error(
      `LeanFastifyAdapter does not support header, media-type or custom versioning (route version ` +
        `${JSON.stringify(version)}): its router has no version constraint. Use URI versioning, or FastifyAdapter.`,
    );
  }

  private addHeldHooks(): void {
    const addHook = this.instance.addHook as unknown as AddHook;
    for (const [name, hook] of this.heldHooks.splice(0)) addHook.call(this.instance, name, hook);
  }
}
