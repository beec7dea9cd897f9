// #region docs
import { Controller, Get, Inject, Param } from '@nestjs/common';
import type { Dashboard } from './user-dashboard.flow';
import { UserDashboardFlow } from './user-dashboard.flow';

@Controller('users')
export class DashboardController {
  constructor(@Inject(UserDashboardFlow) private readonly flow: UserDashboardFlow) {}

  @Get(':id/dashboard')
  async dashboard(@Param('id') id: string): Promise<Dashboard> {
    const result = await this.flow.invoke({ userId: id });
    return result.get('dashboard');
  }
}
// #endregion docs
