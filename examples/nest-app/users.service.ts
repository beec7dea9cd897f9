import { Injectable, NotFoundException } from '@nestjs/common';

/** A user of the shop. */
export interface User {
  readonly id: string;
  readonly name: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const names: Record<string, string> = { u1: 'Ada', u2: 'Grace' };

/** Fake user store: answers after `latency` ms, as a remote service would. */
@Injectable()
export class UsersService {
  latency = 40;

  async findById(id: string): Promise<User> {
    await sleep(this.latency);
    const name = names[id];
    // Thrown inside a node: with DagModule imported, the client still gets this 404.
    if (name === undefined) throw new NotFoundException(`No user ${id}`);
    return { id, name };
  }
}
