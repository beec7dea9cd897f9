import {
  ArgumentsHost,
  Catch,
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  NotFoundException,
  Param,
  type ExceptionFilter,
  type INestApplication,
  type LoggerService,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { Dag, node } from 'async-dag';
import { DagModule } from 'async-dag/nest';

@Injectable()
class UsersService {
  async find(id: string): Promise<{ id: string; name: string }> {
    if (id === 'crash') throw new Error('database unreachable');
    if (id !== 'u1') throw new NotFoundException(`No user ${id}`);
    return { id, name: 'Ada' };
  }
}

@Injectable()
class ProfileFlow extends Dag<{ id: string }> {
  constructor(@Inject(UsersService) private readonly users: UsersService) {
    super();
  }
  @node() user(p: { id: string }) {
    return this.users.find(p.id);
  }
  @node('user') profile(user: { name: string }) {
    return { name: user.name };
  }
}

@Controller('users')
class ProfileController {
  constructor(@Inject(ProfileFlow) private readonly flow: ProfileFlow) {}
  @Get(':id')
  async profile(@Param('id') id: string) {
    return (await this.flow.invoke({ id })).get('profile');
  }
}

/** Every line Nest logs, with its level and whether it carried a stack trace. */
function recordingLogger() {
  const lines: { level: string; message: string; stack: boolean }[] = [];
  const at =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) =>
      void lines.push({
        level,
        message: String(message),
        stack: [message, ...rest].some(
          (part) => part instanceof Error || (typeof part === 'string' && /\n\s+at /.test(part)),
        ),
      });
  const logger: LoggerService = { log: at('log'), error: at('error'), warn: at('warn'), debug: at('debug') };
  return { logger, lines };
}

async function serve(
  options: { filters?: ExceptionFilter[]; logger: LoggerService },
  flowLogger = true,
): Promise<{ app: INestApplication; get: (path: string) => Promise<{ status: number; body: unknown }> }> {
  @Module({
    imports: [DagModule.forRoot({ logger: flowLogger })],
    providers: [UsersService, ProfileFlow],
    controllers: [ProfileController],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: options.logger });
  if (options.filters !== undefined) app.useGlobalFilters(...options.filters);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const get = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, body: await response.json() };
  };
  return { app, get };
}

describe('DagModule: an HttpException thrown in a node, over HTTP', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('reaches the client with its own status and body, and is logged once, without a stack', async () => {
    const { logger, lines } = recordingLogger();
    const server = await serve({ logger });
    app = server.app;
    await expect(server.get('/users/u1')).resolves.toEqual({ status: 200, body: { name: 'Ada' } });
    lines.length = 0;

    await expect(server.get('/users/u9')).resolves.toEqual({
      status: 404,
      body: { statusCode: 404, message: 'No user u9', error: 'Not Found' },
    });
    const loud = lines.filter((line) => line.level === 'error' || line.level === 'warn');
    expect(loud).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(/^run [\w-]+: node "user" rejected in [\d.]+ ms: No user u9$/),
        stack: false,
      },
    ]);
    expect(lines.some((line) => line.stack)).toBe(false);
  });

  it("still goes through the app's own exception filter for that type", async () => {
    @Catch(NotFoundException)
    class NotFoundFilter implements ExceptionFilter {
      catch(exception: NotFoundException, host: ArgumentsHost) {
        host.switchToHttp().getResponse().status(404).json({ missing: exception.message });
      }
    }
    const server = await serve({ logger: recordingLogger().logger, filters: [new NotFoundFilter()] });
    app = server.app;
    await expect(server.get('/users/u9')).resolves.toEqual({ status: 404, body: { missing: 'No user u9' } });
  });

  it('leaves other failures as they were: a 500, with the NodeFailedError logged by Nest', async () => {
    const { logger, lines } = recordingLogger();
    const server = await serve({ logger }, false);
    app = server.app;
    await expect(server.get('/users/crash')).resolves.toEqual({
      status: 500,
      body: { statusCode: 500, message: 'Internal server error' },
    });
    expect(lines.filter((line) => line.level === 'error')).toEqual([
      { level: 'error', message: 'NodeFailedError: Node "user" failed: database unreachable', stack: true },
    ]);
  });
});
