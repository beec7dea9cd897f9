import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ReportFlow } from './report.flow';

@Controller('reports')
export class ReportController {
  constructor(@Inject(ReportFlow) private readonly flow: ReportFlow) {}

  @Get(':month')
  async report(@Param('month') month: string) {
    // The module's defaults give every invoke the executor: `pdf` goes to a worker.
    const result = await this.flow.invoke({ month });
    return result.get('publish');
  }
}
