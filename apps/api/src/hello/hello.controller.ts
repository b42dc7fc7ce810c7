import { Controller, Get } from '@nestjs/common';

/** The body of `GET /hello`, kept from the original service for compatibility. */
export interface HelloResponse {
  readonly message: string;
}

const HELLO: HelloResponse = Object.freeze({ message: 'Hello!' });

/** `GET /hello`: the API's one business endpoint. */
@Controller('hello')
export class HelloController {
  @Get()
  hello(): HelloResponse {
    return HELLO;
  }
}
