import { Controller, Get, Query } from '@nestjs/common';

@Controller()
export class AppController {
  @Get()
  getHello(): string {
    return 'Hello World!';
  }

  /** Answers after `ms` milliseconds: a request that is still in flight when SIGTERM arrives. */
  @Get('slow')
  async slow(@Query('ms') ms = '500'): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, Number(ms)));
    return 'done';
  }
}
