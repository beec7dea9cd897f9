// #region docs
import { Module } from '@nestjs/common';
import { DagModule } from 'async-dag/nest';
import { DashboardController } from './dashboard.controller';
import { OrdersService } from './orders.service';
import { UserDashboardFlow } from './user-dashboard.flow';
import { UsersService } from './users.service';

@Module({
  imports: [DagModule.forRoot({ defaults: { concurrency: 8 }, logger: true })],
  providers: [UsersService, OrdersService, UserDashboardFlow],
  controllers: [DashboardController],
})
export class AppModule {}
// #endregion docs
