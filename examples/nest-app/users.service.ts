import { Injectable } from '@nestjs/common';

/** A user of the shop. */
export interface User {
  readonly id: string;
  readonly name: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Fake user store: answers after `latency` ms, as a remote service would. */
@Injectable()
export class UsersService {
  latency = 40;

  async findById(id: string): Promise<User> {
    await sleep(this.latency);
    return { id, name: id === 'u1' ? 'Ada' : `User ${id}` };
  }
}
